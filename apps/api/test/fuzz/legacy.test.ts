/**
 * Hostile XML on the legacy channel, through the Worker in workerd: the
 * shipped example messages truncated, mutated, nested deep, given huge
 * attributes, entities of every kind and wrong encodings, with hostile
 * headers and methods. For every one: never a 5xx, always a well-formed
 * message Bundle (with an OperationOutcome when refused), and the store
 * unchanged by any refusal.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { parseXml } from '../../src/legacy/xml.ts';
import { expectConsistentStore } from '../../src/test-support/consistency.ts';
import { BASE } from '../support/http.ts';
import { EXAMPLES } from '../support/legacy.ts';
import { useSandbox } from '../support/sandbox.ts';
import { flagsSnapshot } from '../support/snapshot.ts';

useSandbox();

const RUNS = 3000;
const NHS_NUMBERS = [
  '9000000009',
  '9000000017',
  '9000000025',
  '9000000033',
  '9000000076',
  '9700000001',
  '1234567890',
  '900000000',
  '',
  '9000000009 ',
];
/** `period.start` values that name no real instant (L-6, L-11.5): a create carrying one is never stored. */
const IMPOSSIBLE_STARTS = [
  '2024-05-01T99:99:99+99:99',
  '2024-05-01T24:00:00Z',
  '2024-05-01T23:59:60Z',
  '2024-05-01T10:00:00+14:01',
  '2024-05-01T10:00:00',
];
const ASIDS = ['200000000001', '200000000002', '200000000003', '200000000000', '20000000000', 'x'];

/** One mutation of a message's text. */
const mutation = fc.oneof(
  fc.nat().map((cut) => (text: string) => text.slice(0, cut % (text.length + 1))),
  fc
    .tuple(
      fc.nat(),
      fc.string({
        unit: fc.constantFrom('<', '>', '&', '"', "'", '/', '=', ';', '#', 'x', ' ', '\u0000', '\ufeff', '\ud800'),
        minLength: 1,
        maxLength: 4,
      }),
    )
    .map(
      ([at, inserted]) =>
        (text: string) =>
          `${text.slice(0, at % (text.length + 1))}${inserted}${text.slice(at % (text.length + 1))}`,
    ),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })).map(([at, length]) => (text: string) => {
    const start = at % (text.length + 1);
    return text.slice(0, start) + text.slice(start + length);
  }),
  fc.constantFrom(...NHS_NUMBERS).map((nhs) => (text: string) => text.split('9000000009').join(nhs).split('9000000084').join(nhs)),
  fc.constantFrom(...ASIDS).map((asid) => (text: string) => text.replace('asid:200000000001', `asid:${asid}`)),
  fc.constantFrom(...ASIDS).map((asid) => (text: string) => text.replace('asid:200000000000', `asid:${asid}`)),
  fc.constantFrom('0', '1', '2', '3', '', 'FGM').map((code) => (text: string) => text.replace('<code value="0"/>', `<code value="${code}"/>`)),
  fc
    .constantFrom('2024-05-01T10:00:00+14:00', '1900-01-01', '2099-01-01', '2024-02-30', 'yesterday', '', ...IMPOSSIBLE_STARTS)
    .map((start) => (text: string) => text.replace('<start value="2024-05-01"/>', `<start value="${start}"/>`)),
  fc
    .integer({ min: 20, max: 3000 })
    .map(
      (levels) => (text: string) => text.replace('<type value="message"/>', `<type value="message"/>${'<a>'.repeat(levels)}${'</a>'.repeat(levels)}`),
    ),
  fc.integer({ min: 1_000, max: 80_000 }).map((size) => (text: string) => text.replace('<name value="', `<name value="${'x'.repeat(size)}`)),
  fc
    .constantFrom(
      '<!DOCTYPE Bundle [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
      '<!DOCTYPE Bundle [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
      '<!DOCTYPE Bundle SYSTEM "http://evil.example/fhir.dtd">',
      '<?xml-stylesheet href="x"?>',
    )
    .map((prolog) => (text: string) => text.replace(/<Bundle/, `${prolog}<Bundle`).replace('Standon', '&c;&x;Standon')),
  fc
    .constantFrom('&amp;', '&lt;', '&#0;', '&#xD800;', '&#1114112;', '&nbsp;', '&#x41;', '&')
    .map((ref) => (text: string) => text.replace('Standon', `Standon${ref}`)),
  fc
    .constantFrom('ISO-8859-1', 'UTF-16', 'utf-8', 'UTF8', '')
    .map((encoding) => (text: string) => text.replace('encoding="UTF-8"', `encoding="${encoding}"`)),
  fc.constantFrom('1.1', '1.0', '1.9', '2.0', '').map((version) => (text: string) => text.replace('version="1.0"', `version="${version}"`)),
  fc
    .constantFrom('xmlns="urn:other"', 'xmlns="http://hl7.org/fhir"', 'xmlns:f="http://hl7.org/fhir"', '')
    .map((ns) => (text: string) => text.replace(' xmlns="http://hl7.org/fhir"', ns ? ` ${ns}` : '')),
);

const legacyRequest = fc.record({
  interaction: fc.constantFrom('query', 'create', 'delete'),
  path: fc.constantFrom('query', 'create', 'delete', 'query/', 'Query'),
  method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE'),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
  contentType: fc.constantFrom(
    'application/xml+fhir',
    'application/fhir+xml; charset=utf-8',
    'text/xml',
    'application/json',
    'text/xml; charset=latin1',
    '',
  ),
  soapAction: fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('""', 'urn:nhs:names:services:clinicals-sync/FGMQuery_2_0', '"urn:nhs:names:services:clinicals-sync:FGMCreate_1_0"', 'junk'),
  ),
  prefixBytes: fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xc3, 0x28]),
});

type Generated = typeof legacyRequest extends fc.Arbitrary<infer T> ? T : never;

let sent = 0;

async function checkInvariants(r: Generated): Promise<void> {
  const text = r.mutations.reduce((current, mutate) => mutate(current), EXAMPLES[r.interaction] as string);
  const body = new Uint8Array([...r.prefixBytes, ...new TextEncoder().encode(text)]);
  const headers = new Headers({ 'Content-Type': r.contentType });
  if (r.soapAction !== undefined) headers.set('SOAPAction', r.soapAction);
  const init: RequestInit = { method: r.method, headers, ...(r.method === 'GET' ? {} : { body }) };
  const before = await flagsSnapshot();
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${BASE}/fhir/fgm/${r.path}`, init), env, ctx);
  await waitOnExecutionContext(ctx);
  sent++;
  const reply = new TextDecoder().decode(await response.arrayBuffer());
  expect(response.status, `${r.method} ${r.path}`).toBeLessThan(500);
  expect(response.headers.get('Cache-Control')).toBe('no-store');
  expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  if (r.path.endsWith('/') || r.path === 'Query') {
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
  } else {
    expect(response.headers.get('Content-Type')).toBe('application/xml+fhir; charset=utf-8');
    const parsed = parseXml(reply);
    expect(parsed.ok, reply.slice(0, 200)).toBe(true);
    if (parsed.ok) expect(parsed.root.name).toBe('Bundle');
    if (response.status >= 400) expect(reply).toContain('<OperationOutcome>');
  }
  for (const value of ['/etc/passwd', 'root:x:', 'aaaaaaaaaaaaaaaaaaaa']) expect(reply).not.toContain(value);
  // Not well-formed (L-11.3): a second byte-order mark, or an XML version other than 1.0, is never answered as a message.
  const notWellFormed = r.prefixBytes.length === 6 || /^\s*<\?xml version="(?!1\.0")/.test(text);
  if (notWellFormed) expect([200, 201, 422], `${r.method} ${r.path}`).not.toContain(response.status);
  // An impossible instant (L-6, L-11.5) is never stored.
  if (r.path === 'create' && IMPOSSIBLE_STARTS.some((start) => text.includes(`<start value="${start}"/>`))) expect(response.status).not.toBe(201);
  if (response.status >= 400) expect(await flagsSnapshot(), `${r.method} ${r.path} → ${response.status} changed state`).toEqual(before);
}

describe('hostile XML over HTTP, legacy channel (L-2, L-11.3)', () => {
  it(`[H-04] [H-08] ${RUNS} mutated, truncated, deep, huge and entity-laden messages keep every invariant`, { timeout: 600_000 }, async () => {
    await fc.assert(fc.asyncProperty(legacyRequest, checkInvariants), { numRuns: RUNS });
    await expectConsistentStore();
  });

  it('sent every request', () => {
    expect(sent).toBeGreaterThanOrEqual(RUNS);
  });
});
