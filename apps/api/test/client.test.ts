import { exports } from 'cloudflare:workers';
/**
 * `@fgm-is/client` against this Worker, through its real fetch handler:
 * every interaction of both channels as a supplier's code makes it, each
 * answer checked against the OpenAPI document like every other test's. The
 * client's own unit tests (packages/fgm-client) cover what a server cannot
 * be made to do here (timeouts, malformed answers).
 */
import { type ClientError, type FgmClient, createClient, createFlagCache } from '@fgm-is/client';
import { catalogue } from '@fgm-is/rules';
import { describe, expect, it } from 'vitest';
import { checkResponse } from './support/contract.ts';
import { BASE, SEEDED_FLAG_ID } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';
import { signToken, tokenWith } from './support/tokens.ts';

useSandbox();

/** The Worker as the client's fetch, each response checked against the contract. */
const workerFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await exports.default.fetch(request);
  await checkResponse(request.method, request.url, response.clone());
  return response;
};

const author = { userId: '555555555555', roleProfileId: '555555555666', odsCode: 'A12345' };

function client(overrides: Partial<Parameters<typeof createClient>[0]> = {}): FgmClient {
  return createClient({
    baseUrl: BASE,
    fromAsid: '200000000001',
    toAsid: '200000000000',
    token: () => tokenWith(['B0380']),
    author,
    fetch: workerFetch,
    ...overrides,
  });
}

/** The Worker as the client's fetch, counting the requests it was sent. */
function counting(): { fetch: typeof fetch; sent: () => number } {
  let sent = 0;
  return {
    fetch: (input, init) => {
      sent += 1;
      return workerFetch(input, init);
    },
    sent: () => sent,
  };
}

/** The error of a result that must have failed. */
function errorOf(result: { ok: boolean; error?: ClientError }): ClientError {
  expect(result.ok).toBe(false);
  return result.error as ClientError;
}

describe('@fgm-is/client, R4', () => {
  it('searches: the seeded flag of 9000000009, and null for a child without one', async () => {
    const fgm = client();
    const found = await fgm.search('9000000009');
    expect(found).toMatchObject({ ok: true, value: { flag: { id: SEEDED_FLAG_ID, status: 'active' } } });
    expect(await fgm.search('9000000017')).toEqual({ ok: true, value: { flag: null } });
  });

  it('adds, reads and removes with If-Match, each answer typed', async () => {
    const fgm = client();
    const added = await fgm.add({ nhsNumber: '9000000017', assessmentDate: '2024-05-01' });
    if (!added.ok) throw new Error(added.error.diagnostics);
    expect(added.value.flag).toMatchObject({ status: 'active', period: { start: '2024-05-01' }, meta: { versionId: '1' } });
    expect(added.value.etag).toBe('W/"1"');
    expect(added.value.location).toBe(`${BASE}/Flag/${added.value.flag.id}`);

    const read = await fgm.read(added.value.flag.id);
    expect(read).toEqual({ ok: true, value: { flag: added.value.flag, etag: 'W/"1"' } });

    const stale = await fgm.remove(added.value.flag.id, { reason: '0', ifMatch: 'W/"7"' });
    expect(errorOf(stale)).toEqual({
      status: 412,
      code: 'RESOURCE_VERSION_MISMATCH',
      diagnostics: 'If-Match does not match the current version',
      retryable: false,
    });

    const removed = await fgm.remove(added.value.flag.id, { reason: '2', ifMatch: 'W/"1"' });
    expect(removed).toMatchObject({ ok: true, value: { flag: { status: 'inactive', meta: { versionId: '2' } }, etag: 'W/"2"' } });
    expect(await fgm.search('9000000017')).toEqual({ ok: true, value: { flag: null } });
  });

  it.each([
    ['A4', '9000000033'],
    ['A5', '9000000025'],
    ['A1', '9700000001'],
  ] as const)('gives the server’s %s exactly as a typed error', async (key, nhsNumber) => {
    const entry = catalogue[key];
    const error = errorOf(await client().add({ nhsNumber, assessmentDate: '2024-05-01' }));
    expect(error).toEqual({ status: entry.status, code: entry.details, diagnostics: entry.diagnostics, retryable: false });
  });

  it('answers A6 for a second Add, and R1 for removing a removed flag', async () => {
    const fgm = client();
    expect(errorOf(await fgm.add({ nhsNumber: '9000000009', assessmentDate: '2024-05-01' })).diagnostics).toBe(catalogue.A6.diagnostics);
    expect((await fgm.remove(SEEDED_FLAG_ID, { reason: '0' })).ok).toBe(true);
    expect(errorOf(await fgm.remove(SEEDED_FLAG_ID, { reason: '0' })).code).toBe(catalogue.R1.details);
  });

  it('refuses locally exactly as the server would: S1, A1 and the assessment date, with nothing sent', async () => {
    const counter = counting();
    const fgm = client({ fetch: counter.fetch });
    expect(errorOf(await fgm.search('1234567890'))).toEqual({
      status: 400,
      code: 'INVALID_SEARCH_DATA',
      diagnostics: 'Invalid NHS number',
      retryable: false,
    });
    expect(errorOf(await fgm.add({ nhsNumber: '1234567890', assessmentDate: '2024-05-01' })).diagnostics).toBe(catalogue.A1.diagnostics);
    expect(errorOf(await fgm.add({ nhsNumber: '9000000017', assessmentDate: '2999-01-01' })).diagnostics).toBe(
      catalogue.INVALID_ASSESSMENT_DATE.diagnostics,
    );
    expect(counter.sent()).toBe(0);
    // And the server agrees: the same refusal from the Worker itself.
    const response = await workerFetch(`${BASE}/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|1234567890`, {
      headers: { TraceID: 't', FromASID: '200000000001', ToASID: '200000000000', Authorization: `Bearer ${await tokenWith(['B0370'])}` },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('"INVALID_SEARCH_DATA"');
  });

  it('passes on 401, 403 and the D-4 ASID refusal as the server words them', async () => {
    const expired = await signToken({ sub: 'x', iss: 'nope', aud: 'nope', exp: 1, activities: [] });
    expect(errorOf(await client({ token: expired }).search('9000000009'))).toEqual({
      status: 401,
      code: 'ACCESS_DENIED',
      diagnostics: 'Invalid or expired access token',
      retryable: false,
    });
    expect(
      errorOf(await client({ token: () => tokenWith(['B0370']) }).add({ nhsNumber: '9000000017', assessmentDate: '2024-05-01' })).diagnostics,
    ).toBe('The user is not authorised for this interaction');
    expect(errorOf(await client({ fromAsid: '200000000002' }).add({ nhsNumber: '9000000017', assessmentDate: '2024-05-01' }))).toEqual({
      status: 403,
      code: 'ACCESS_DENIED',
      diagnostics: catalogue.A9.diagnostics,
      retryable: false,
    });
  });

  it('sends one TraceID per call and the ASIDs as head parameters', async () => {
    const seen: Headers[] = [];
    const fgm = client({
      traceId: () => 'trace-42',
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers));
        return workerFetch(input, init);
      },
    });
    await fgm.search('9000000009');
    expect(seen[0]?.get('TraceID')).toBe('trace-42');
    expect(seen[0]?.get('FromASID')).toBe('200000000001');
    expect(seen[0]?.get('Accept')).toBe('application/fhir+json');
    expect(seen[0]?.get('X-Request-ID')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('@fgm-is/client, legacy messaging', () => {
  it('queries, creates and deletes; an R4 search sees the legacy create', async () => {
    const fgm = client();
    const queried = await fgm.legacy.query('9000000009');
    expect(queried).toMatchObject({
      ok: true,
      value: { flag: { id: SEEDED_FLAG_ID, status: 'active', subject: { identifier: { value: '9000000009' } } } },
    });

    expect(errorOf(await fgm.legacy.query('9000000084'))).toEqual({
      status: 404,
      code: 'NO_RECORD_FOUND',
      diagnostics: expect.any(String),
      retryable: false,
    });

    const created = await fgm.legacy.create({ nhsNumber: '9000000084', assessmentDate: '2024-05-01', birthDate: '2011-09-09', gpPractice: 'V81997' });
    expect(created).toMatchObject({ ok: true, value: { messageId: expect.any(String) } });
    const r4 = await fgm.search('9000000084');
    expect(r4).toMatchObject({ ok: true, value: { flag: { status: 'active', period: { start: '2024-05-01' } } } });

    const again = errorOf(
      await fgm.legacy.create({ nhsNumber: '9000000084', assessmentDate: '2024-05-01', birthDate: '2011-09-09', gpPractice: 'V81997' }),
    );
    expect(again).toMatchObject({ status: 422, code: 'FLAG_ALREADY_SET', retryable: false });

    expect(await fgm.legacy.delete('9000000084', { reason: '2' })).toMatchObject({ ok: true });
    expect(await fgm.search('9000000084')).toEqual({ ok: true, value: { flag: null } });
  });

  it('gives the legacy codes as typed errors: age, ASID, author', async () => {
    const over18 = errorOf(
      await client().legacy.create({ nhsNumber: '9000000033', assessmentDate: '2024-05-01', birthDate: '1990-07-04', gpPractice: 'V81997' }),
    );
    expect(over18).toMatchObject({ status: 400, code: 'PATIENT_OVER_18' });
    const denied = errorOf(await client({ fromAsid: '200000000003' }).legacy.query('9000000009'));
    expect(denied).toMatchObject({ status: 403, code: 'ASID_CHECK_FAILED', retryable: false });
    const noAuthor = errorOf(
      await createClient({ baseUrl: BASE, fromAsid: '200000000001', toAsid: '200000000000', token: 'x', fetch: workerFetch }).legacy.delete(
        '9000000009',
        { reason: '0' },
      ),
    );
    expect(noAuthor).toMatchObject({ status: 400, code: 'MESSAGE_NOT_WELL_FORMED' });
  });
});

describe('@fgm-is/client cache against the Worker', () => {
  it('serves a second check from the cache, and asks again once forgotten after a write', async () => {
    const counter = counting();
    const fgm = client({ fetch: counter.fetch });
    const cache = createFlagCache({ source: fgm });
    const child = { nhsNumber: '9000000017', birthDate: '2012-03-15' };
    expect(await cache.check(child)).toMatchObject({ ok: true, value: { flag: null, fromCache: false } });
    expect(await cache.check(child)).toMatchObject({ ok: true, value: { flag: null, fromCache: true } });
    expect(counter.sent()).toBe(1);
    expect((await fgm.add({ nhsNumber: '9000000017', assessmentDate: '2024-05-01' })).ok).toBe(true);
    cache.forget('9000000017');
    expect(await cache.check(child)).toMatchObject({ ok: true, value: { flag: { status: 'active' }, fromCache: false } });
  });
});
