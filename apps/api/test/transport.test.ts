/**
 * The transport edge of every channel, through the Worker's exported fetch
 * handler in workerd with the real bindings: request bodies too large to
 * keep (D-23, L-11.2), declared bodies that never come, and a `Host` the
 * request URL is built from that is not a host (RFC 9112 §3.2).
 *
 * The handler is called directly, not through `exports.default.fetch`: a
 * service-binding hop would re-parse the URL (so no malformed one could be
 * handed over) and carries no hop-by-hop header such as `Connection` back.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.ts';
import type { AuditRow } from '../src/audit/d1-store.ts';
import worker from '../src/index.ts';
import { countedBody } from '../src/test-support/counted-body.ts';
import { auditOf } from './support/audit.ts';
import { BASE, SEARCH_PATH, SEEDED_FLAG_ID, addBody, fgmHeaders, removeBody } from './support/http.ts';
import { message, readReply } from './support/legacy.ts';
import { useSandbox } from './support/sandbox.ts';
import { servicesWith } from './support/services.ts';
import { flagsSnapshot } from './support/snapshot.ts';

useSandbox();
// Audit rows arrive through the audit queue, which batches for up to 1 s (wrangler.toml).
vi.setConfig({ testTimeout: 20_000 });

const MiB = 1024 * 1024;
/** Well past the body-reading stall limit: a response later than this is a hang. */
const ANSWER_WITHIN_MS = 4_000;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const LEGACY_XML = 'application/xml+fhir; charset=utf-8';
const XML_HEADERS = { 'Content-Type': LEGACY_XML };

/**
 * A request as a runtime would hand it to the Worker if it built the URL
 * from a malformed `Host`: the URL `new Request` refuses is put over a
 * well-formed one, and the header carries the same value (when it is ASCII:
 * workerd warns about any other header value).
 */
class RequestFromHost extends Request {
  readonly #url: string;

  constructor(host: string, path: string, init: RequestInit) {
    const headers = new Headers(init.headers);
    if (/^[\x20-\x7e]*$/.test(host)) headers.set('Host', host);
    super(`${BASE}${path}`, { ...init, headers });
    this.#url = `https://${host}${path}`;
  }

  override get url(): string {
    return this.#url;
  }
}

/** Calls the Worker's fetch handler; rejects if it has not answered within {@link ANSWER_WITHIN_MS}. */
async function fetchWorker(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${request.method} ${request.url}: no response within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  try {
    const response = await Promise.race([worker.fetch(request, env, ctx), hang]);
    await waitOnExecutionContext(ctx);
    return response;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** POSTs a streamed body (no Content-Length unless `headers` declares one). */
function postStream(path: string, body: ReadableStream<Uint8Array>, headers: HeadersInit): Promise<Response> {
  return fetchWorker(new Request(`${BASE}${path}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit));
}

/** The request's audit row, once it has landed, and that it is the only one. */
async function auditedOnce(response: Response): Promise<AuditRow> {
  const row = await auditOf(response);
  const { count } = (await env.AUDIT_DB.prepare('SELECT COUNT(*) AS count FROM audit_events WHERE request_id = ?1')
    .bind(response.headers.get('X-Request-ID'))
    .first<{ count: number }>()) ?? { count: 0 };
  expect(count).toBe(1);
  return row;
}

/** Asserts the headers of every response (D-3, D-12, L-2). */
function expectStandardHeaders(response: Response): void {
  expect(response.headers.get('X-Request-ID')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(response.headers.get('Cache-Control')).toBe('no-store');
  expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
}

/** Asserts an R4 refusal: the catalogue's OperationOutcome with its status, codes and diagnostics. */
async function expectOutcome(response: Response, status: number, code: string, details: string, diagnostics: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toBe(FHIR_JSON);
  expectStandardHeaders(response);
  const outcome = (await response.json()) as {
    resourceType: string;
    issue: { code: string; details: { coding: { code: string }[] }; diagnostics: string }[];
  };
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue).toHaveLength(1);
  expect(outcome.issue[0]).toMatchObject({ code, details: { coding: [{ code: details }] }, diagnostics });
}

/** Asserts a legacy refusal: an error message Bundle with the legacy table's row. */
async function expectLegacyRefusal(response: Response, status: number, issueType: string, diagnostics: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toBe(LEGACY_XML);
  expectStandardHeaders(response);
  const reply = await readReply(response);
  expect(reply.type).toBe('message');
  expect(reply.header.code).toBe('fatal-error');
  expect(reply.outcome).toMatchObject({ severity: 'error', code: issueType, detailsCode: 'MESSAGE_NOT_WELL_FORMED', diagnostics });
}

describe('[H-07] bodies too large to keep (D-23, L-11.2)', () => {
  it('[D-23] [H-06] a chunked 17 MiB Add is the D-12 413, its body read to the end, the connection kept, audited once', async () => {
    const before = await flagsSnapshot();
    const { stream, seen } = countedBody(17);
    const response = await postStream('/Flag', stream, await fgmHeaders());
    await expectOutcome(response, 413, 'too-costly', 'INVALID_VALUE', 'Request body too large');
    expect(response.headers.get('Connection')).toBeNull();
    expect(seen).toEqual({ pulled: 17, cancelled: false });
    expect(await auditedOnce(response)).toMatchObject({ channel: 'r4', interaction: 'add', status: 413, details_code: 'INVALID_VALUE' });
    expect(await flagsSnapshot()).toEqual(before);
  });

  it.each(['query', 'create'] as const)(
    '[L-11.2] [H-06] a chunked 20 MiB legacy %s is the legacy 413 message Bundle, its body read to the end, the connection kept, audited once',
    async (interaction) => {
      const { stream, seen } = countedBody(20);
      const response = await postStream(`/fhir/fgm/${interaction}`, stream, XML_HEADERS);
      await expectLegacyRefusal(response, 413, 'too-costly', 'Request body too large');
      expect(response.headers.get('Connection')).toBeNull();
      expect(seen).toEqual({ pulled: 20, cancelled: false });
      expect(await auditedOnce(response)).toMatchObject({ channel: 'messaging', interaction, status: 413, details_code: 'MESSAGE_NOT_WELL_FORMED' });
    },
  );

  it.each([
    ['', {}],
    [' with Expect: 100-continue', { Expect: '100-continue' }],
  ])(
    '[D-23] [H-06] a declared 1 MiB Add whose body never arrives%s is answered at once: the 413 with Connection: close, audited once',
    async (_, expect100) => {
      const { stream, seen } = countedBody(1, 0);
      const response = await postStream('/Flag', stream, await fgmHeaders({ 'Content-Length': String(MiB), ...expect100 }));
      await expectOutcome(response, 413, 'too-costly', 'INVALID_VALUE', 'Request body too large');
      expect(response.headers.get('Connection')).toBe('close');
      expect(seen).toEqual({ pulled: 0, cancelled: true });
      expect(await auditedOnce(response)).toMatchObject({ interaction: 'add', status: 413 });
    },
  );

  it.each([
    ['', {}],
    [' with Expect: 100-continue', { Expect: '100-continue' }],
  ])(
    '[L-11.2] [H-06] a declared 1 MiB legacy create whose body never arrives%s is answered at once: the 413 Bundle with Connection: close, audited once',
    async (_, expect100) => {
      const { stream, seen } = countedBody(1, 0);
      const response = await postStream('/fhir/fgm/create', stream, { ...XML_HEADERS, 'Content-Length': String(MiB), ...expect100 });
      await expectLegacyRefusal(response, 413, 'too-costly', 'Request body too large');
      expect(response.headers.get('Connection')).toBe('close');
      expect(seen).toEqual({ pulled: 0, cancelled: true });
      expect(await auditedOnce(response)).toMatchObject({ channel: 'messaging', interaction: 'create', status: 413 });
    },
  );
});

/** The four malformed values the local server was found to answer with a plain-text 500. */
const MALFORMED_HOSTS = ['a b', 'a@b', 'x:99999', 'ünicode.example'];
const HEAD_DIAGNOSTICS = 'Missing or invalid head parameter';
const HOST_DIAGNOSTICS = 'The Host header is not a valid host';

describe('[H-04] a malformed Host (RFC 9112 §3.2) reaching the Worker is a 400 in the channel’s format, never a 5xx', () => {
  it.each(MALFORMED_HOSTS)('Host %j on health, docs, metadata, an unknown path and a wrong method: the JSON 400, unaudited paths', async (host) => {
    for (const [method, path] of [
      ['GET', '/_ping'],
      ['GET', '/_status'],
      ['GET', '/metadata'],
      ['GET', '/openapi.json'],
      ['GET', '/'],
      ['GET', '/Patient'],
      ['DELETE', '/Flag'],
    ] as const) {
      const response = await fetchWorker(new RequestFromHost(host, path, { method }));
      await expectOutcome(response, 400, 'invalid', 'PRECONDITION_FAILED', HEAD_DIAGNOSTICS);
    }
  });

  it.each(MALFORMED_HOSTS)(
    '[H-06] Host %j on each FGM interaction: the head-parameter 400 (S2, A8, R4), audited once, nothing stored',
    async (host) => {
      const before = await flagsSnapshot();
      for (const [interaction, method, path, body] of [
        ['search', 'GET', `${SEARCH_PATH}9000000009`, undefined],
        ['read', 'GET', `/Flag/${SEEDED_FLAG_ID}`, undefined],
        ['add', 'POST', '/Flag', JSON.stringify(addBody('9000000017'))],
        ['remove', 'PUT', `/Flag/${SEEDED_FLAG_ID}`, JSON.stringify(removeBody(SEEDED_FLAG_ID))],
      ] as const) {
        const response = await fetchWorker(new RequestFromHost(host, path, { method, headers: await fgmHeaders(), ...(body ? { body } : {}) }));
        await expectOutcome(response, 400, 'invalid', 'PRECONDITION_FAILED', HEAD_DIAGNOSTICS);
        expect(await auditedOnce(response)).toMatchObject({ channel: 'r4', interaction, status: 400, details_code: 'PRECONDITION_FAILED' });
      }
      expect(await flagsSnapshot()).toEqual(before);
    },
  );

  it.each(MALFORMED_HOSTS)(
    '[H-06] Host %j on each legacy endpoint: the 400 MESSAGE_NOT_WELL_FORMED Bundle, audited once, nothing stored',
    async (host) => {
      const before = await flagsSnapshot();
      for (const interaction of ['query', 'create', 'delete'] as const) {
        for (const method of ['POST', 'GET']) {
          const body = method === 'POST' ? { body: message(interaction) } : {};
          const response = await fetchWorker(new RequestFromHost(host, `/fhir/fgm/${interaction}`, { method, headers: XML_HEADERS, ...body }));
          await expectLegacyRefusal(response, 400, 'structure', HOST_DIAGNOSTICS);
          expect(await auditedOnce(response)).toMatchObject({
            channel: 'messaging',
            interaction,
            status: 400,
            details_code: 'MESSAGE_NOT_WELL_FORMED',
          });
        }
      }
      expect(await flagsSnapshot()).toEqual(before);
    },
  );

  it('on a legacy path switched off (L-4), a malformed Host is the 400 of any unknown path', async () => {
    const app = createApp({ services: () => servicesWith({ legacy: { enabled: false } }) });
    const response = await app.fetch(
      new RequestFromHost('a b', '/fhir/fgm/query', { method: 'POST', headers: XML_HEADERS, body: message('query') }),
      env,
    );
    await expectOutcome(response, 400, 'invalid', 'PRECONDITION_FAILED', HEAD_DIAGNOSTICS);
  });

  it('a malformed Host header alone, the URL well-formed, is the same 400', async () => {
    const request = new Request(`${BASE}/metadata`, { headers: { Host: 'x:99999' } });
    await expectOutcome(await fetchWorker(request), 400, 'invalid', 'PRECONDITION_FAILED', HEAD_DIAGNOSTICS);
  });

  it.each(['fgm.test', 'FGM.test:443', '127.0.0.1:8787', '[::1]:8787', 'localhost', 'xn--nicode-2ya.example', 'fgm-is.example.nhs.uk.'])(
    'a well-formed Host %j is served',
    async (host) => {
      const response = await fetchWorker(new RequestFromHost(host, '/metadata', {}));
      expect(response.status).toBe(200);
      expectStandardHeaders(response);
    },
  );
});
