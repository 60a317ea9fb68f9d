import type { buildCapabilityStatement } from '@fgm-is/rules';
import { describe, expect, it } from 'vitest';
import { SEEDED_FLAG_ID, addBody, call, fgmHeaders, search, searchTotal } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';

useSandbox();

async function diagnostics(response: Response): Promise<string | undefined> {
  expect(response.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
  return ((await response.json()) as { issue?: { diagnostics: string }[] }).issue?.[0]?.diagnostics;
}

/** A request body streamed in chunks, so it has no Content-Length. */
function streamed(text: string, chunk = 4096): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

/** A valid Add body padded with an ignored element to exactly `size` bytes. */
function bodyOfSize(size: number): string {
  const base = JSON.stringify(addBody('9000000017', { note: '' }));
  return JSON.stringify(addBody('9000000017', { note: 'x'.repeat(size - base.length) }));
}

describe('routes and D-12 responses', () => {
  it.each(['/index.html', '/Flag/', '/Patient', '/Flag/x/_history/1', '/metadata/x', '/flag'])('%s is a FHIR 404, never plain text', async (path) => {
    const response = await call(path, { headers: await fgmHeaders() });
    expect(response.status).toBe(404);
    expect(await diagnostics(response)).toBe('Unknown path: this service serves /Flag, /Flag/{id} and /metadata');
  });

  it.each([
    ['/Flag', 'DELETE'],
    ['/Flag', 'PUT'],
    ['/Flag', 'OPTIONS'],
    [`/Flag/${SEEDED_FLAG_ID}`, 'DELETE'],
    [`/Flag/${SEEDED_FLAG_ID}`, 'PATCH'],
    [`/Flag/${SEEDED_FLAG_ID}`, 'POST'],
    ['/metadata', 'PUT'],
  ])('%s %s → 405 before any header check', async (path, method) => {
    const response = await call(path, { method });
    expect(response.status).toBe(405);
    expect(await diagnostics(response)).toBe('Unsupported service');
  });

  it('GET /metadata needs no headers and returns the CapabilityStatement', async () => {
    const response = await call('/metadata');
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const statement = (await response.json()) as ReturnType<typeof buildCapabilityStatement>;
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      format: ['application/fhir+json', 'json'],
      kind: 'instance',
    });
    const flag = statement.rest[0]?.resource[0];
    expect(flag?.interaction.map((i) => i.code)).toEqual(['search-type', 'create', 'update', 'read']);
    expect(flag?.searchParam).toEqual([expect.objectContaining({ name: 'patient', type: 'reference' })]);
  });

  it('GET /metadata with Accept: application/xml is 406', async () => {
    expect((await call('/metadata', { headers: { Accept: 'application/xml' } })).status).toBe(406);
  });

  it.each(['application/fhir+json', 'application/json', '*/*', 'application/*', 'text/html, application/json;q=0.5'])(
    'Accept %s is served',
    async (accept) => {
      expect((await search('9000000009', { Accept: accept })).status).toBe(200);
    },
  );

  it.each(['application/fhir+xml', 'text/html', 'application/json;q=0'])('Accept %s is 406', async (accept) => {
    const response = await search('9000000009', { Accept: accept });
    expect(response.status).toBe(406);
    expect(await diagnostics(response)).toBe('Only application/fhir+json is supported');
  });
});

describe('request body limits (D-12)', () => {
  it('a body of exactly 64 KiB is read', async () => {
    const response = await call('/Flag', { method: 'POST', headers: await fgmHeaders(), body: bodyOfSize(65536) });
    expect(response.status).toBe(201);
  });

  it('[H-07] [H-08] a body one byte over is 413, declared or not, and nothing is stored', async () => {
    const text = bodyOfSize(65537);
    expect((await call('/Flag', { method: 'POST', headers: await fgmHeaders(), body: text })).status).toBe(413);
    expect((await call('/Flag', { method: 'POST', headers: await fgmHeaders(), body: streamed(text) })).status).toBe(413);
    expect(await searchTotal('9000000017')).toBe(0);
  });

  it('[H-08] a Content-Length that lies low does not get past the limit', async () => {
    const headers = await fgmHeaders({ 'Content-Length': '10' });
    const response = await call('/Flag', { method: 'POST', headers, body: streamed(bodyOfSize(200_000)) });
    expect(response.status).toBe(413);
  });

  it.each([
    ['empty', ''],
    ['truncated', '{"resourceType":"Flag"'],
    ['not JSON', 'resourceType=Flag'],
    ['a JSON array', '[]'],
    ['a JSON string', '"Flag"'],
    ['JSON null', 'null'],
  ])('[H-08] %s body → Invalid request body', async (_name, body) => {
    const response = await call('/Flag', { method: 'POST', headers: await fgmHeaders(), body });
    expect(response.status).toBe(400);
    expect(await diagnostics(response)).toBe('Invalid request body');
  });

  it('a UTF-8 byte-order mark is tolerated (RFC 8259 §8.1)', async () => {
    const response = await call('/Flag', { method: 'POST', headers: await fgmHeaders(), body: `\uFEFF${JSON.stringify(addBody('9000000017'))}` });
    expect(response.status).toBe(201);
  });

  it('[H-08] invalid UTF-8 → Invalid request body', async () => {
    const body = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const response = await call('/Flag', { method: 'POST', headers: await fgmHeaders(), body });
    expect(await diagnostics(response)).toBe('Invalid request body');
  });
});
