/**
 * Every legacy request that reaches an endpoint is audited once (L-9,
 * L-11.10), allowed or refused, 405 and 413 included, with channel
 * `messaging`, the MessageHeader id as TraceID, the sender ASID and the
 * author's SDS ids.
 */
import { describe, expect, it, vi } from 'vitest';
import { auditOf } from '../support/audit.ts';
import { SEEDED_FLAG_ID, call } from '../support/http.ts';
import { EXAMPLE_MESSAGE_IDS, message, post, readReply } from '../support/legacy.ts';
import { useSandbox } from '../support/sandbox.ts';

useSandbox();
// Audit rows arrive through the audit queue, which batches for up to 1 s (wrangler.toml): a test reading several waits for several.
vi.setConfig({ testTimeout: 15_000 });

const author = { user_sub: '555555555555', user_role: '555555555666' };

describe('legacy audit trail (L-9, L-11.10)', () => {
  it('[L-9] [H-06] a query: channel, interaction, TraceID = MessageHeader id, sender ASID, author, patient, flag', async () => {
    const response = await post('query', message('query'));
    expect(await auditOf(response)).toMatchObject({
      channel: 'messaging',
      interaction: 'query',
      trace_id: EXAMPLE_MESSAGE_IDS.query,
      from_asid: '200000000001',
      ...author,
      user_org: 'RSD',
      nhs_number: '9000000009',
      flag_id: SEEDED_FLAG_ID,
      status: 200,
      details_code: null,
    });
  });

  it('[L-9] [L-6] [H-06] a create records the message’s birthDate and GP practice, never trusting them', async () => {
    const response = await post('create', message('create'));
    const row = await auditOf(response);
    expect(row).toMatchObject({
      channel: 'messaging',
      interaction: 'create',
      trace_id: EXAMPLE_MESSAGE_IDS.create,
      ...author,
      nhs_number: '9000000084',
      status: 201,
      message_birth_date: '2011-09-09',
      message_gp_practice: 'V81997',
    });
    expect(row.flag_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('[L-9] [H-06] a delete, and a refusal with its details code', async () => {
    expect(await auditOf(await post('create', message('create', ['9000000084', '9000000009'])))).toMatchObject({
      interaction: 'create',
      status: 422,
      details_code: 'FLAG_ALREADY_SET',
    });
    expect(await auditOf(await post('delete', message('delete')))).toMatchObject({ interaction: 'delete', status: 200, flag_id: SEEDED_FLAG_ID });
    expect(await auditOf(await post('delete', message('delete')))).toMatchObject({
      interaction: 'delete',
      status: 404,
      details_code: 'NO_RECORD_FOUND',
    });
  });

  it('[L-11.10] [H-06] a 405 and a 413 are audited, with an empty TraceID when the header could not be read', async () => {
    expect(await auditOf(await call('/fhir/fgm/delete', { method: 'GET' }))).toMatchObject({
      channel: 'messaging',
      interaction: 'delete',
      status: 405,
      trace_id: null,
      from_asid: null,
      details_code: 'MESSAGE_NOT_WELL_FORMED',
    });
    const big = message('query', ['<name value="Standon NHS Trust"/>', `<name value="${'x'.repeat(70_000)}"/>`]);
    expect(await auditOf(await post('query', big))).toMatchObject({ interaction: 'query', status: 413, trace_id: null });
  });
});

describe('the MessageHeader id: what L-11.5 accepts is recorded as the TraceID, what it refuses is not (L-9, L-11.5)', () => {
  const withId = (id: string) => message('query', [`<id value="${EXAMPLE_MESSAGE_IDS.query}"/>`, `<id value="${id}"/>`]);

  it.each([
    ['a line separator inside', 'msg\u2028id'],
    ['32 emoji', '😀'.repeat(32)],
    ['64 emoji: 64 characters, 128 UTF-16 units', '😀'.repeat(64)],
    ['three spaces', '   '],
    ['64 characters', 'x'.repeat(64)],
  ])('[L-9] [L-11.5] [H-06] an id of %s is answered 200 and recorded as the TraceID, as sent', async (_name, id) => {
    const response = await post('query', withId(id));
    expect(response.status).toBe(200);
    expect((await readReply(response)).header.identifier).toBe(id);
    expect(await auditOf(response)).toMatchObject({
      channel: 'messaging',
      interaction: 'query',
      trace_id: id,
      status: 200,
      from_asid: '200000000001',
    });
  });

  it.each([
    ['a C1 control (U+0085, next line)', 'abc\u0085def'],
    ['a C1 control given as a character reference (U+009F)', 'abc&#x9F;def'],
    ['DEL', 'abc\u007fdef'],
    ['a tab given as a character reference', 'abc&#9;def'],
    ['65 emoji: 65 characters', '😀'.repeat(65)],
  ])('[L-9] [L-11.5] [H-06] an id of %s is refused 400 MESSAGE_NOT_WELL_FORMED, and audited with an empty TraceID', async (_name, id) => {
    const response = await post('query', withId(id));
    expect(response.status).toBe(400);
    const reply = await readReply(response);
    expect(reply.outcome).toMatchObject({
      detailsCode: 'MESSAGE_NOT_WELL_FORMED',
      diagnostics: 'MessageHeader.id must be present: 1 to 64 characters, no control characters',
    });
    expect(reply.header.identifier).toBe(response.headers.get('X-Request-ID'));
    expect(await auditOf(response)).toMatchObject({ channel: 'messaging', interaction: 'query', trace_id: null, status: 400 });
  });
});
