import { FGM_CODE, buildActiveFlag, buildSearchBundle, catalogue, toOperationOutcome } from '@fgm-is/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClientOptions, createClient } from './index.ts';

const BASE = 'https://fgm.test/FHIR/R4';
const FLAG = buildActiveFlag({ id: 'f1', nhsNumber: '9000000009', assessmentDate: '2024-05-01', lastUpdated: '2026-01-01T00:00:00.000Z' });

/** A fetch that answers every request with one response, and records what it was asked. */
function answering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const requests: Request[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    requests.push(new Request(input, init));
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/fhir+json', ...headers } });
  };
  return { fetch, requests };
}

function client(fetch: typeof globalThis.fetch, overrides: Partial<ClientOptions> = {}) {
  return createClient({ baseUrl: `${BASE}/`, fromAsid: '200000000001', toAsid: '200000000000', token: 'header.payload.sig', fetch, ...overrides });
}

const searchset = (flag: unknown) =>
  buildSearchBundle({ id: 'b', lastUpdated: '2026-01-01T00:00:00Z', baseUrl: BASE, nhsNumber: '9000000009', match: flag as typeof FLAG | undefined });

describe('createClient', () => {
  it.each([
    [{ baseUrl: 'not a url' }, 'baseUrl must be an absolute http(s) URL'],
    [{ baseUrl: 'ftp://x' }, 'baseUrl must be an absolute http(s) URL'],
    [{ fromAsid: '12345' }, 'fromAsid and toAsid must each be 12 digits'],
    [{ retry: { retries: 4 } }, 'retry.retries must be an integer from 0 to 3 and retry.delayMs at least 0'],
    [{ retry: { delayMs: -1 } }, 'retry.retries must be an integer from 0 to 3 and retry.delayMs at least 0'],
  ])('refuses settings that cannot work, once, at creation: %j', (overrides, message) => {
    expect(() => client(answering(200, {}).fetch, overrides as Partial<ClientOptions>)).toThrow(new TypeError(message));
  });

  it('sends the search to the base URL with its path kept, and the head parameters', async () => {
    const { fetch, requests } = answering(200, searchset(undefined));
    expect(await client(fetch, { traceId: () => 'trace-1' }).search('9000000009')).toEqual({ ok: true, value: { flag: null } });
    const [request] = requests;
    expect(request?.url).toBe(`${BASE}/Flag?patient:identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9000000009`);
    expect(Object.fromEntries((request?.headers as unknown as Iterable<[string, string]>) ?? [])).toMatchObject({
      authorization: 'Bearer header.payload.sig',
      traceid: 'trace-1',
      fromasid: '200000000001',
      toasid: '200000000000',
      accept: 'application/fhir+json',
    });
  });
});

describe('answers that are not what the contract promises are errors, never "no flag"', () => {
  it.each([
    ['a flag for another child', 200, searchset({ ...FLAG, subject: { identifier: { ...FLAG.subject.identifier, value: '9000000017' } } })],
    ['a total that disagrees with the entries', 200, { ...searchset(FLAG), total: 0 }],
    ['a removed flag', 200, searchset({ ...FLAG, status: 'inactive' })],
    ['HTML from a proxy', 200, '<html>ok</html>'],
    ['an empty 200', 200, ''],
    ['a 500 without an OperationOutcome', 500, 'oops'],
  ])('%s', async (_name, status, body) => {
    const result = await client(answering(status, body).fetch).search('9000000009');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ status, code: 'UNEXPECTED_RESPONSE', retryable: false });
  });

  it('a 503 is retryable: the register could not be checked', async () => {
    const result = await client(answering(503, toOperationOutcome(catalogue.SERVICE_UNAVAILABLE, 'o')).fetch).search('9000000009');
    expect(result).toEqual({
      ok: false,
      error: { status: 503, code: 'SERVICE_UNAVAILABLE', diagnostics: catalogue.SERVICE_UNAVAILABLE.diagnostics, retryable: true },
    });
  });

  it('a network failure is status 0, NETWORK_ERROR, retryable', async () => {
    const result = await client(async () => {
      throw new TypeError('fetch failed');
    }).search('9000000009');
    expect(result).toMatchObject({ ok: false, error: { status: 0, code: 'NETWORK_ERROR', retryable: true } });
  });

  it('no answer within timeoutMs is status 0, TIMEOUT, retryable', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const result = await client(hanging, { timeoutMs: 20 }).search('9000000009');
    expect(result).toMatchObject({ ok: false, error: { status: 0, code: 'TIMEOUT', retryable: true } });
  });

  it('a token function that fails sends nothing: TOKEN_UNAVAILABLE', async () => {
    const { fetch, requests } = answering(200, searchset(undefined));
    const result = await client(fetch, {
      token: () => {
        throw new Error('session ended');
      },
    }).search('9000000009');
    expect(result).toMatchObject({ ok: false, error: { status: 0, code: 'TOKEN_UNAVAILABLE' } });
    expect(requests).toHaveLength(0);
  });

  it('never throws, whatever status and body come back (fast-check, 300 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 200, max: 599 }),
        fc.oneof(fc.string(), fc.json(), fc.constant(JSON.stringify(searchset(FLAG)))),
        async (status, body) => {
          const fgm = client(answering(status, body).fetch);
          const results = await Promise.all([
            fgm.search('9000000009'),
            fgm.read('f1'),
            fgm.add({ nhsNumber: '9000000017', assessmentDate: '2024-05-01' }),
            fgm.remove('f1', { reason: '0' }),
            fgm.legacy.query('9000000009'),
          ]);
          for (const result of results) {
            if (result.ok) continue;
            expect(typeof result.error.code).toBe('string');
            expect(result.error.retryable).toBe([0, 429, 502, 503, 504].includes(result.error.status));
          }
          // Only the one well-formed searchset with 9000000009's flag is a successful search.
          expect(results[0]?.ok).toBe(status === 200 && body === JSON.stringify(searchset(FLAG)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('retry policy', () => {
  it('retries a retryable error as often as the caller allows, then gives the last answer', async () => {
    let calls = 0;
    const flaky: typeof fetch = async () => {
      calls += 1;
      return calls < 3
        ? new Response(JSON.stringify(toOperationOutcome(catalogue.SERVICE_UNAVAILABLE, 'o')), { status: 503 })
        : new Response(JSON.stringify(searchset(FLAG)), { status: 200 });
    };
    expect((await client(flaky, { retry: { retries: 1, delayMs: 0 } }).search('9000000009')).ok).toBe(false);
    calls = 0;
    expect(await client(flaky, { retry: { retries: 2, delayMs: 0 } }).search('9000000009')).toMatchObject({
      ok: true,
      value: { flag: { id: 'f1' } },
    });
  });

  it('never retries what cannot succeed later, and sends one TraceID for every try of one call', async () => {
    const { fetch, requests } = answering(400, toOperationOutcome(catalogue.A4, 'o'));
    await client(fetch, { retry: { retries: 3, delayMs: 0 } }).add({ nhsNumber: '9000000017', assessmentDate: '2024-05-01' });
    expect(requests).toHaveLength(1);
    const flaky = answering(503, toOperationOutcome(catalogue.SERVICE_UNAVAILABLE, 'o'));
    await client(flaky.fetch, { retry: { retries: 2, delayMs: 0 } }).search('9000000009');
    expect(flaky.requests.map((request) => request.headers.get('TraceID'))).toEqual(Array(3).fill(flaky.requests[0]?.headers.get('TraceID')));
    expect(new Set(flaky.requests.map((request) => request.headers.get('X-Request-ID'))).size).toBe(3);
  });
});

describe('R4 requests', () => {
  it('Add sends only the FGM-IS data items and asks for the representation', async () => {
    const { fetch, requests } = answering(201, FLAG, { ETag: 'W/"1"', Location: `${BASE}/Flag/f1` });
    const result = await client(fetch).add({ nhsNumber: '9000000009', assessmentDate: '2024-05-01' });
    expect(result).toEqual({ ok: true, value: { flag: FLAG, etag: 'W/"1"', location: `${BASE}/Flag/f1` } });
    const request = requests[0] as Request;
    expect(request.method).toBe('POST');
    expect(request.headers.get('Content-Type')).toBe('application/fhir+json');
    expect(request.headers.get('Prefer')).toBe('return=representation');
    expect(await request.json()).toEqual({
      resourceType: 'Flag',
      status: 'active',
      code: { coding: [{ system: 'http://snomed.info/sct', code: FGM_CODE }] },
      subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' } },
      period: { start: '2024-05-01' },
    });
  });

  it('Remove maps the reason to the status and sends If-Match when given', async () => {
    const removed = { ...FLAG, status: 'entered-in-error', meta: { ...FLAG.meta, versionId: '2' } };
    const { fetch, requests } = answering(200, removed, { ETag: 'W/"2"' });
    expect(await client(fetch).remove('f1', { reason: '0', ifMatch: 'W/"1"' })).toMatchObject({ ok: true, value: { etag: 'W/"2"' } });
    const request = requests[0] as Request;
    expect(request.headers.get('If-Match')).toBe('W/"1"');
    expect(await request.json()).toMatchObject({ id: 'f1', status: 'entered-in-error', extension: [{ valueCoding: { code: '0' } }] });
  });

  it('Remove refuses reason 1 (a JavaScript caller can pass it) with the server’s own error, sending nothing', async () => {
    const { fetch, requests } = answering(200, FLAG);
    // @ts-expect-error: '1' is not an R4 removal reason, and the type says so
    const result = await client(fetch).remove('f1', { reason: '1' });
    expect(result).toEqual({
      ok: false,
      error: { status: 400, code: 'UNSUPPORTED_VALUE', diagnostics: catalogue.REMOVAL_REASON_CODE.diagnostics, retryable: false },
    });
    expect(requests).toHaveLength(0);
  });

  it('Add checks the assessment date against today in Europe/London (the clock is the caller’s)', async () => {
    const { fetch } = answering(201, FLAG);
    // 23:30 UTC on 31 May is already 1 June in London (BST): 1 June is today, not the future.
    const fgm = client(fetch, { now: () => new Date('2024-05-31T23:30:00Z') });
    expect((await fgm.add({ nhsNumber: '9000000009', assessmentDate: '2024-06-01' })).ok).toBe(true);
    expect(await fgm.add({ nhsNumber: '9000000009', assessmentDate: '2024-06-02' })).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE' } });
  });
});
