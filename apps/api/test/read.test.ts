import { describe, expect, it } from 'vitest';
import { SEEDED_FLAG_ID, TRACE_ID, call, fgmHeaders, read } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';
import { tokenWith } from './support/tokens.ts';

useSandbox();

describe('read (D-11)', () => {
  it('200 with the Flag, ETag and Last-Modified', async () => {
    const response = await read(SEEDED_FLAG_ID);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/fhir+json; charset=utf-8',
      date: expect.any(String),
      etag: 'W/"1"',
      'last-modified': 'Mon, 05 Jan 2026 09:30:00 GMT',
      traceid: TRACE_ID,
      'x-content-type-options': 'nosniff',
      'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(((await response.json()) as { id: string }).id).toBe(SEEDED_FLAG_ID);
  });

  it('[H-04] uses the search permission: B0370 and ASID 200000000002 may read', async () => {
    const response = await read(SEEDED_FLAG_ID, { FromASID: '200000000002', Authorization: `Bearer ${await tokenWith(['B0370'])}` });
    expect(response.status).toBe(200);
  });

  it('HEAD gives the headers without a body', async () => {
    const response = await call(`/Flag/${SEEDED_FLAG_ID}`, { method: 'HEAD', headers: await fgmHeaders() });
    expect(response.status).toBe(200);
    expect(response.headers.get('ETag')).toBe('W/"1"');
    expect(await response.text()).toBe('');
  });

  it.each(['6e0c2f8a-0000-4000-8000-000000000000', 'x'.repeat(65), 'bad%20id'])('unknown or impossible id %s → 404', async (id) => {
    const response = await read(id);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { issue: { code: string }[] }).issue[0]?.code).toBe('not-found');
  });
});
