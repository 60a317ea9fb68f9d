/**
 * Hostile input over HTTP on the R4 channel, through the Worker in workerd:
 * thousands of generated requests across every route, the edge cases of
 * D-16 … D-26 among them. For every one: never a 5xx, always FHIR JSON (an
 * OperationOutcome when refused), no token or secret echoed, and the store
 * unchanged by any refusal. `legacy.test.ts` does the same for the legacy
 * channel; together they send at least 10,000 requests a run.
 *
 * Requests go to the Worker's exported fetch handler with the real bindings
 * (KV, D1, the Durable Objects) and a real ExecutionContext.
 * `exports.default.fetch` is not used here: in vitest-pool-workers each call
 * through it gets slower with every earlier one in the same file
 * (cloudflare/workers-sdk#15446), which thousands of requests cannot afford.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { expectConsistentStore } from '../../src/test-support/consistency.ts';
import { BASE, SEARCH_PATH, SEEDED_FLAG_ID, TRACE_ID, addBody, removeBody } from '../support/http.ts';
import { useSandbox } from '../support/sandbox.ts';
import { flagsSnapshot } from '../support/snapshot.ts';
import { SANDBOX_SECRET, b64url, sandboxClaims, signToken } from '../support/tokens.ts';

useSandbox();

const RANDOM_RUNS = 4000;
const AUTHORISED_RUNS = 3000;

/** Tokens signed before the run: the good one, and the edge cases of D-16 and D-17. */
const tokens: Record<string, string> = {};
beforeAll(async () => {
  const now = Math.floor(Date.now() / 1000);
  tokens.good = await signToken(sandboxClaims({ activities: ['B0380'] }));
  tokens.viewer = await signToken(sandboxClaims({ activities: ['B0370'] }));
  tokens.futureIat = await signToken(sandboxClaims({ iat: now + 3600 }));
  tokens.decade = await signToken(sandboxClaims({ exp: now + 10 * 365 * 86_400 }));
  tokens.notYet = await signToken(sandboxClaims({ nbf: now + 3600 }));
  tokens.longRole = await signToken(sandboxClaims({ role: 'R'.repeat(11_000) }));
  tokens.expired = await signToken(sandboxClaims({ exp: now - 10 }));
  tokens.forged = await signToken(sandboxClaims(), 'an-attacker-s-own-secret-of-32-chars!');
  tokens.unsecured = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(sandboxClaims())}.`;
});

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 });
const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'resourceType',
  'id',
  'status',
  'extension',
  'subject',
  'code',
);

/** JSON values with hostile keys, wrong types and unicode. */
const hostileJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const CANONICAL_URL = 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason';
const CANONICAL_SYSTEM = 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason';
const reasonCoding = fc.record({
  system: fc.constantFrom(CANONICAL_SYSTEM, 'https://fhir.nhs.uk/CodeSystem/England-FGMRemovalReason', 'x'),
  code: fc.constantFrom('0', '1', '2', 0),
});

/** Bodies that probe the new decisions: duplicate keys (D-25), several reason codings (D-18), an assessment before birth (D-19). */
const decisionBody = fc.oneof(
  fc
    .constantFrom('status', 'resourceType', 'subject', 'id', 'period')
    .map((key) => JSON.stringify(addBody('9000000017')).replace(`"${key}":`, `"${key}":"dup","${key}":`)),
  fc
    .array(reasonCoding, { minLength: 0, maxLength: 3 })
    .map((coding) =>
      JSON.stringify(removeBody(SEEDED_FLAG_ID, { extension: [{ url: CANONICAL_URL, valueCodeableConcept: { coding, text: 'x'.repeat(300) } }] })),
    ),
  fc
    .constantFrom('2012-03-14', '1900-01-01', '2012-03-15', '2031-01-01')
    .map((start) => JSON.stringify(addBody('9000000017', { period: { start } }))),
);

/** A body: a valid one with one element made hostile, the decisions' edge cases, pure hostile JSON, or raw text and bytes of awkward sizes. */
const body = fc.oneof(
  fc
    .record({
      element: fc.constantFrom('resourceType', 'id', 'status', 'code', 'subject', 'period', 'extension', 'meta'),
      value: hostileJson,
      base: fc.constantFrom('add', 'remove'),
    })
    .map(({ element, value, base }) =>
      JSON.stringify({ ...(base === 'add' ? addBody('9000000017') : removeBody(SEEDED_FLAG_ID)), [element]: value }),
    ),
  decisionBody,
  hostileJson.map((value) => JSON.stringify(value) ?? ''),
  fc.constantFrom(
    `{"resourceType":"Flag","__proto__":{"status":"active","isAdmin":true},"constructor":{"prototype":{"polluted":1}}}`,
    `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
    `"${'\\u0000'.repeat(1000)}"`,
  ),
  fc
    .integer({ min: -3, max: 3 })
    .map((delta) => JSON.stringify({ ...addBody('9000000084'), note: 'x'.repeat(65_536 - 400 + delta) }).padEnd(65_536 + delta, ' ')),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }),
);

/** A header value: the good one, absent, or garbage. */
const headerValue = () =>
  fc.oneof({ weight: 6, arbitrary: fc.constant('good') }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: printable });

/** An Authorization header: the good token, the D-16/D-17 edge cases, garbage. */
const authorization = fc.oneof(
  { weight: 6, arbitrary: fc.constant('good') },
  {
    weight: 3,
    arbitrary: fc
      .record({
        scheme: fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'Bearer '),
        token: fc.constantFrom('good', 'viewer', 'futureIat', 'decade', 'notYet', 'longRole', 'expired', 'forged', 'unsecured'),
      })
      .map(({ scheme, token }) => `token:${scheme}:${token}`),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: printable },
);

const request = fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'PUT', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  path: fc.oneof(
    fc.constant(`${SEARCH_PATH}9000000009`),
    fc.constant(`${SEARCH_PATH}9000000017`),
    fc
      .constantFrom('json', 'xml', 'application/fhir+json', 'application/fhir+xml', 'html')
      .map((f) => `${SEARCH_PATH}9000000009&_format=${encodeURIComponent(f)}`),
    printable.map((q) => `/Flag?${encodeURI(q)}`),
    fc.constant('/Flag'),
    fc.constant(`/Flag/${SEEDED_FLAG_ID}`),
    printable.map((id) => `/Flag/${encodeURIComponent(id)}`),
    fc.constantFrom('/metadata', '/metadata?_format=xml', '/_ping', '/_status'),
    printable.map((p) => `/${encodeURI(p)}`),
  ),
  traceId: headerValue(),
  fromAsid: headerValue(),
  toAsid: headerValue(),
  authorization,
  requestId: fc.oneof(fc.constant(undefined), fc.uuid(), printable),
  contentType: fc.oneof(fc.constant('application/fhir+json'), fc.constant(undefined), printable),
  accept: fc.oneof(fc.constant(undefined), fc.constant('application/fhir+json'), printable),
  prefer: fc.oneof(fc.constant(undefined), fc.constantFrom('return=minimal', 'return=representation', 'return=OperationOutcome'), printable),
  ifMatch: fc.oneof(fc.constant(undefined), fc.constantFrom('W/"1"', '*', 'W/"2"'), printable),
  body,
  streamed: fc.boolean(),
  declareLength: fc.boolean(),
});

type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never;

function toInit(r: Generated): RequestInit {
  const headers = new Headers();
  const pick = (value: string | undefined, good: string) => (value === 'good' ? good : value);
  const set = (name: string, value: string | undefined) => {
    if (value === undefined) return;
    try {
      headers.set(name, value);
    } catch {
      // a value the Fetch API itself refuses cannot be sent at all
    }
  };
  set('TraceID', pick(r.traceId, TRACE_ID));
  set('FromASID', pick(r.fromAsid, '200000000001'));
  set('ToASID', pick(r.toAsid, '200000000000'));
  const [, scheme, token] = r.authorization?.startsWith('token:') ? r.authorization.split(':') : [];
  set('Authorization', r.authorization === 'good' ? `Bearer ${tokens.good}` : scheme ? `${scheme} ${tokens[token ?? ''] ?? ''}` : r.authorization);
  set('X-Request-ID', r.requestId);
  set('Content-Type', r.contentType);
  set('Accept', r.accept);
  set('Prefer', r.prefer);
  set('If-Match', r.ifMatch);
  const init: RequestInit = { method: r.method, headers };
  if (r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH' || r.method === 'DELETE') {
    const bytes = typeof r.body === 'string' ? new TextEncoder().encode(r.body) : r.body;
    if (r.streamed) {
      // The runtime frames a body by its Content-Length, so a handler only ever sees a true one (or an upload
      // that fails part-way, tested in the json-body middleware's own tests).
      if (r.declareLength) set('Content-Length', String(bytes.length));
      init.body = new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
          controller.close();
        },
      });
    } else {
      init.body = bytes;
    }
  }
  return init;
}

let sent = 0;

async function checkInvariants(r: Generated): Promise<void> {
  const before = await flagsSnapshot();
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${BASE}${r.path}`, toInit(r)), env, ctx);
  await waitOnExecutionContext(ctx);
  sent++;
  const text = await response.text();
  expect(response.status, `${r.method} ${r.path}`).toBeLessThan(500);
  // A token without a signature part has nothing to look for: the NUL stands for "never appears".
  for (const token of Object.values(tokens)) expect(text).not.toContain(token.split('.')[2] || '\u0000');
  expect(text).not.toContain(SANDBOX_SECRET);
  if (typeof r.authorization === 'string' && !r.authorization.startsWith('token:') && r.authorization !== 'good' && r.authorization.length > 8) {
    expect(text).not.toContain(r.authorization);
  }
  expect(response.headers.get('Cache-Control')).toBe('no-store');
  expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  const requestId = response.headers.get('X-Request-ID');
  if (r.requestId && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r.requestId)) expect(requestId).toBe(r.requestId);
  else expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const empty = r.method === 'HEAD' || text === '';
  const pathname = new URL(`${BASE}${r.path}`).pathname;
  if (r.path.startsWith('/_ping') || r.path.startsWith('/_status')) {
    if (response.status !== 405) expect(response.headers.get('Content-Type')).toBe('application/health+json');
  } else if (response.status === 200 && (pathname === '/' || pathname === '/openapi.json' || pathname.startsWith('/docs/'))) {
    // The docs channel: the page, its assets and the OpenAPI document.
    expect(['text/html', 'text/css', 'text/javascript', 'application/json']).toContain(response.headers.get('Content-Type')?.split(';')[0]);
  } else if (!empty) {
    expect(response.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
    const resource = JSON.parse(text) as { resourceType?: string; issue?: { severity: string }[] };
    if (response.status >= 400) {
      expect(resource.resourceType).toBe('OperationOutcome');
      expect(resource.issue).toHaveLength(1);
      expect(resource.issue?.[0]?.severity).toBe('error');
    } else {
      expect(['Bundle', 'Flag', 'OperationOutcome', 'CapabilityStatement']).toContain(resource.resourceType);
    }
  } else {
    expect(response.status === 200 || response.status === 201 || r.method === 'HEAD').toBe(true);
  }
  if (response.status >= 400) expect(await flagsSnapshot(), `${r.method} ${r.path} → ${response.status} changed state`).toEqual(before);
}

describe('hostile input over HTTP, R4 channel', () => {
  it(`[H-04] [H-08] ${RANDOM_RUNS} random requests across all routes keep every invariant`, { timeout: 600_000 }, async () => {
    await fc.assert(fc.asyncProperty(request, checkInvariants), { numRuns: RANDOM_RUNS });
    await expectConsistentStore();
  });

  it(
    `[H-05] [H-08] ${AUTHORISED_RUNS} authorised requests with hostile bodies reach the rules and keep every invariant`,
    { timeout: 600_000 },
    async () => {
      const authorised = request.map((r) => ({ ...r, traceId: 'good', fromAsid: 'good', toAsid: 'good', authorization: 'good', accept: undefined }));
      await fc.assert(fc.asyncProperty(authorised, checkInvariants), { numRuns: AUTHORISED_RUNS });
      await expectConsistentStore();
    },
  );

  it('sent every request', () => {
    expect(sent).toBeGreaterThanOrEqual(RANDOM_RUNS + AUTHORISED_RUNS);
  });
});
