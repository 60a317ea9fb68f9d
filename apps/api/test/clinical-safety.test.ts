/**
 * Controls of the hazard log (docs/clinical-safety/hazard-log.md) that no
 * other test proves on its own, through the Worker as clients call it:
 *
 * - a failure to read the register is never an answer of "no flag" (H-01);
 * - a search or a legacy query answers only about the child asked for (H-02);
 * - on the 18th birthday both channels stop showing the flag together (H-03, H-09).
 */
import type { SearchBundle } from '@fgm-is/rules';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kvFlagStore } from '../src/storage/kv-flag-store.ts';
import { at } from '../src/test-support/stub-services.ts';
import { SEARCH_PATH, SEEDED_FLAG_ID, add, addBody, fgmHeaders, search } from './support/http.ts';
import { message, post, readReply } from './support/legacy.ts';
import { useSandbox } from './support/sandbox.ts';
import { appWith } from './support/services.ts';
import { sandboxClaims, signToken } from './support/tokens.ts';

useSandbox();
afterEach(() => vi.restoreAllMocks());

const LEGACY_XML = { 'Content-Type': 'application/xml+fhir; charset=utf-8' };

/** A KV namespace whose every read fails, as a KV outage or a lost connection to it does. */
const unreachableKv = {
  get: async () => Promise.reject(new Error('Network connection lost')),
  getWithMetadata: async () => Promise.reject(new Error('Network connection lost')),
} as unknown as KVNamespace;

/** A legacy query message for an NHS number (the shipped example asks about 9000000009). */
const queryFor = (nhsNumber: string) => message('query', ['9000000009', nhsNumber]);

describe('a failure is never an answer of "no flag" (H-01)', () => {
  it('[H-01] a search whose search-index read fails is 503 SERVICE_UNAVAILABLE, never a searchset with total 0', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const request = appWith({ flags: kvFlagStore(unreachableKv) });
    const response = await request(`${SEARCH_PATH}9000000009`, { headers: await fgmHeaders() });
    expect(response.status).toBe(503);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body).not.toHaveProperty('total');
    expect(body).not.toHaveProperty('entry');
    expect(body.issue).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'exception',
        details: expect.objectContaining({ coding: [expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' })] }),
      }),
    ]);
  });

  it('[H-01] [H-09] a legacy query whose search-index read fails is 503 transient-error, never 404 NO_RECORD_FOUND', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const request = appWith({ flags: kvFlagStore(unreachableKv) });
    const response = await request('/fhir/fgm/query', { method: 'POST', headers: LEGACY_XML, body: message('query') });
    expect(response.status).toBe(503);
    const reply = await readReply(response);
    expect(reply.header.code).toBe('transient-error');
    expect(reply.outcome?.detailsCode).toBe('SERVICE_UNAVAILABLE');
    expect(reply.flag).toBeUndefined();
  });
});

describe('an answer is only ever about the child asked for (H-02)', () => {
  it('[H-02] [H-09] with several children flagged, each search and each legacy query returns only the flag of the NHS number asked for', async () => {
    const flagged = ['9000000017', '9000000041', '9000000084'];
    const ids: Record<string, string> = { '9000000009': SEEDED_FLAG_ID };
    for (const nhs of flagged) {
      const created = await add(addBody(nhs));
      expect(created.status).toBe(201);
      ids[nhs] = ((await created.json()) as { id: string }).id;
    }
    expect(new Set(Object.values(ids)).size).toBe(4);
    for (const nhs of ['9000000009', ...flagged]) {
      const bundle = (await (await search(nhs)).json()) as SearchBundle;
      expect(bundle.total).toBe(1);
      expect(bundle.entry).toHaveLength(1);
      expect(bundle.entry?.[0]?.resource.id).toBe(ids[nhs]);
      expect(bundle.entry?.[0]?.resource.subject.identifier.value).toBe(nhs);
      expect(bundle.link[0]?.url.endsWith(`|${nhs}`)).toBe(true);
      const reply = await readReply(await post('query', queryFor(nhs)));
      expect(reply.flag).toMatchObject({ id: ids[nhs], nhsNumber: nhs });
    }
    for (const nhs of ['9449306753', '9000000068', '9000000092']) {
      expect(((await (await search(nhs)).json()) as SearchBundle).total).toBe(0);
      const response = await post('query', queryFor(nhs));
      expect(response.status).toBe(404);
      expect((await readReply(response)).outcome?.detailsCode).toBe('NO_RECORD_FOUND');
    }
  });
});

describe('age-out is the same on both channels (H-03, H-09)', () => {
  it('[H-03] [H-09] the day before the 18th birthday both channels show the flag; from London midnight neither does', async () => {
    // 9000000009 was born 2015-06-01: 18 on 2033-06-01, which starts at 23:00 UTC on 31 May (BST).
    const before = appWith({}, { clock: at('2033-05-31T22:59:59.000Z') });
    const after = appWith({}, { clock: at('2033-05-31T23:00:00.000Z') });
    const issued = Date.UTC(2033, 4, 31, 22) / 1000;
    const headers = await fgmHeaders({ Authorization: `Bearer ${await signToken(sandboxClaims({ iat: issued, exp: issued + 7200 }))}` });
    const seen = async (request: typeof before) => {
      const r4 = ((await (await request(`${SEARCH_PATH}9000000009`, { headers })).json()) as SearchBundle).total;
      const legacy = await request('/fhir/fgm/query', { method: 'POST', headers: LEGACY_XML, body: message('query') });
      const reply = await readReply(legacy);
      return { r4, legacy: legacy.status, code: reply.flag ? 'flag' : reply.outcome?.detailsCode };
    };
    expect(await seen(before)).toEqual({ r4: 1, legacy: 200, code: 'flag' });
    expect(await seen(after)).toEqual({ r4: 0, legacy: 404, code: 'NO_RECORD_FOUND' });
  });
});
