import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditForDay, auditForPatient } from '../src/audit/d1-store.ts';
import { DependencyUnavailableError } from '../src/ports/errors.ts';
import { kvFlagStore } from '../src/storage/kv-flag-store.ts';
import { auditOf } from './support/audit.ts';
import { SEARCH_PATH, SEEDED_FLAG_ID, TRACE_ID, add, addBody, call, fgmHeaders, read, remove, removeBody, search } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';
import { appWith } from './support/services.ts';
import { sandboxClaims, signToken } from './support/tokens.ts';

useSandbox();
// Audit rows arrive through the audit queue, which batches for up to 1 s (wrangler.toml): a test reading several waits for several.
vi.setConfig({ testTimeout: 15_000 });
afterEach(() => vi.restoreAllMocks());

const user = { user_sub: '555555555555', user_role: 'R8000', user_org: 'A12345' };
const noUser = { user_sub: null, user_role: null, user_org: null };

describe('[H-06] audit trail (D-15): one durable record per FGM interaction, allowed or refused', () => {
  it('success: search (200) names the patient and the flag found', async () => {
    const response = await search('9000000009');
    expect(await auditOf(response)).toEqual({
      record_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      request_id: response.headers.get('X-Request-ID'),
      occurred_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      channel: 'r4',
      interaction: 'search',
      trace_id: TRACE_ID,
      from_asid: '200000000001',
      ...user,
      nhs_number: '9000000009',
      flag_id: SEEDED_FLAG_ID,
      status: 200,
      details_code: null,
      message_birth_date: null,
      message_gp_practice: null,
      // The archive bucket (migration 0003): 900000000 mod 4096.
      patient_bucket: 2304,
    });
  });

  it('success: add (201) records the new flag id; remove (200) and read (200) record theirs', async () => {
    const created = await add(addBody('9000000017'));
    const { id } = (await created.json()) as { id: string };
    expect(await auditOf(created)).toMatchObject({ interaction: 'add', nhs_number: '9000000017', flag_id: id, status: 201, details_code: null });
    const removed = await remove(id, removeBody(id));
    expect(await auditOf(removed)).toMatchObject({ interaction: 'remove', nhs_number: '9000000017', flag_id: id, status: 200 });
    const readBack = await read(id);
    expect(await auditOf(readBack)).toMatchObject({ interaction: 'read', nhs_number: '9000000017', flag_id: id, status: 200 });
  });

  it('400: a refused Add keeps the NHS number it was about', async () => {
    const response = await add(addBody('9000000033'));
    expect(await auditOf(response)).toMatchObject({
      interaction: 'add',
      nhs_number: '9000000033',
      flag_id: null,
      status: 400,
      details_code: 'VALIDATION_ERROR',
      ...user,
    });
  });

  it('400: a missing head parameter is recorded with what was well-formed', async () => {
    const response = await search('9000000009', { FromASID: 'not-an-asid' });
    expect(await auditOf(response)).toMatchObject({
      interaction: 'search',
      from_asid: null,
      trace_id: TRACE_ID,
      ...noUser,
      nhs_number: null,
      status: 400,
      details_code: 'PRECONDITION_FAILED',
    });
  });

  it('401: no user is recorded for a token that did not verify', async () => {
    const token = await signToken(sandboxClaims({ exp: 1 }));
    const response = await search('9000000009', { Authorization: `Bearer ${token}` });
    const row = await auditOf(response);
    expect(row).toMatchObject({ interaction: 'search', ...noUser, status: 401, details_code: 'ACCESS_DENIED', from_asid: '200000000001' });
    expect(JSON.stringify(row)).not.toContain(token.split('.')[1]);
  });

  it('403: an ASID refusal records the verified user and the ASID', async () => {
    const response = await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID), { FromASID: '200000000002' });
    expect(await auditOf(response)).toMatchObject({
      interaction: 'remove',
      from_asid: '200000000002',
      ...user,
      status: 403,
      details_code: 'ACCESS_DENIED',
    });
  });

  it('404: a read of an unknown id', async () => {
    const response = await call('/Flag/6e0c2f8a-0000-4000-8000-000000000000', { headers: await fgmHeaders() });
    expect(await auditOf(response)).toMatchObject({ interaction: 'read', status: 404, details_code: 'RESOURCE_NOT_FOUND', nhs_number: null });
  });

  it('412: a stale If-Match names the patient and flag', async () => {
    const response = await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID), { 'If-Match': 'W/"9"' });
    expect(await auditOf(response)).toMatchObject({
      interaction: 'remove',
      nhs_number: '9000000009',
      flag_id: SEEDED_FLAG_ID,
      status: 412,
      details_code: 'RESOURCE_VERSION_MISMATCH',
    });
  });

  it('503: a store failure is audited too', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = appWith({ flags: { ...kvFlagStore(env.FLAGS), getActive: async () => Promise.reject(new DependencyUnavailableError('kv')) } });
    const response = await broken(`${SEARCH_PATH}9000000009`, { headers: await fgmHeaders() });
    expect(await auditOf(response)).toMatchObject({
      interaction: 'search',
      nhs_number: '9000000009',
      status: 503,
      details_code: 'SERVICE_UNAVAILABLE',
    });
  });

  it('an auditor can list a patient’s accesses and a day’s accesses', async () => {
    const responses = [await search('9449306753'), await add(addBody('9449306753')), await search('9449306753')];
    const rows = await Promise.all(responses.map(auditOf));
    const forPatient = await auditForPatient(env.AUDIT_DB, '9449306753');
    expect(forPatient.map((r) => r.interaction)).toEqual(['search', 'add', 'search']);
    const forDay = await auditForDay(env.AUDIT_DB, rows[0]?.day ?? '');
    expect(forDay.map((r) => r.request_id)).toEqual(expect.arrayContaining(rows.map((r) => r.request_id)));
  });

  it('[H-04] a failed audit write never changes the response, and its log line carries no NHS number', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const request = appWith({ audit: { record: async () => Promise.reject(new Error('D1 down for 9000000009')) } });
    const response = await request(`${SEARCH_PATH}9000000009`, { headers: await fgmHeaders() });
    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(lines.some((l) => l.includes('audit_write_failed'))).toBe(true));
    expect(lines.join('\n')).not.toContain('9000000009');
  });

  it('routes outside the FGM interactions are not audited', async () => {
    const recorded: string[] = [];
    const request = appWith({ audit: { record: async (event) => void recorded.push(event.interaction) } });
    for (const path of ['/metadata', '/_ping', '/_status', '/Flag/unknown-route/x']) expect((await request(path)).status).toBeLessThan(500);
    expect((await request(`${SEARCH_PATH}9000000009`, { headers: await fgmHeaders() })).status).toBe(200);
    // waitUntil has run by now in app.request without an execution context; the search alone was recorded.
    expect(recorded).toEqual(['search']);
  });
});
