/**
 * D-23 end to end, against the real local server (`wrangler dev`) over real
 * HTTP: after a request whose body is too large (413), or is refused before
 * its body is read (400, 405), the client's next request on the SAME
 * keep-alive connection is answered within 1 s. Each case sends a request on
 * one socket of a `maxSockets: 1` keep-alive agent, the refused request on
 * that same socket, then `GET /metadata`, and checks the socket was reused
 * and every answer came within the per-request limit. A server that cancels
 * the body instead of reading it to its end fails here: through the local
 * proxy the follow-up then hangs or gets a plain-text 503.
 *
 * A declared body that never comes is sent over a raw socket (only the
 * head goes on the wire): the 413 must come within 5 s, and the client's
 * next request, on a new connection, within 1 s. The `Connection: close`
 * the Worker answers it with is not checked on the wire: the local runtime
 * drops a Worker's `Connection` header (measured), so `unread-body`'s and
 * `test/transport.test.ts`'s tests check it where the Worker sets it.
 */
import { Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSandboxToken } from '../scripts/sandbox-token.ts';
import { type SandboxServer, startSandboxServer } from './support/server.ts';

/** D-23: the longest a request on a kept-alive connection may wait for its answer. */
const ANSWER_WITHIN_MS = 1_000;
/** The first request on a fresh connection is only the set-up, not what is measured. */
const SETUP_REQUEST_TIMEOUT_MS = 10_000;
/** How long a refused request with a body of many MiB may take, the upload included. */
const LARGE_UPLOAD_TIMEOUT_MS = 20_000;
/** The longest a 413 for a declared body that never arrives may take (the server's stall limit is 1 s). */
const DECLARED_ONLY_WITHIN_MS = 5_000;
const SEEDED_FLAG_ID = 'a6a6a92a-8247-4250-b1c7-10cda16f0310';
const FHIR_JSON_UTF8 = 'application/fhir+json; charset=utf-8';
const LEGACY_XML_UTF8 = 'application/xml+fhir; charset=utf-8';
const MiB = 1024 * 1024;

/** How a request body goes on the wire. */
type Framing = 'content-length' | 'chunked';

/** One request to send. */
interface Outgoing {
  readonly method: string;
  readonly path: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: Buffer;
  readonly framing?: Framing;
  readonly timeoutMs?: number;
}

/** What came back, and how it travelled. */
interface Exchange {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** `req.reusedSocket`: the request went on a connection an earlier request had used. */
  readonly reusedSocket: boolean;
  /** The client's port of the connection: the same port means the same connection. */
  readonly localPort: number | undefined;
  /** The body was sent with `Transfer-Encoding: chunked` (no Content-Length). */
  readonly chunked: boolean;
  readonly elapsedMs: number;
}

let server: SandboxServer | undefined;
let token = '';

beforeAll(async () => {
  token = await signSandboxToken({ sub: '555555555555', activities: ['B0380'], role: 'R8000', org: 'A12345' });
  server = await startSandboxServer();
}, 90_000);

afterAll(async () => {
  await server?.stop();
}, 30_000);

/** The head parameters of a sandbox system allowed everything (plus the JSON Content-Type). */
function sandboxHeaders(): OutgoingHttpHeaders {
  return {
    Authorization: `Bearer ${token}`,
    TraceID: 'e2e-1',
    FromASID: '200000000001',
    ToASID: '200000000000',
    'Content-Type': 'application/fhir+json',
  };
}

/** A Flag-shaped JSON body padded to exactly `bytes` bytes. */
function oversizedFlagBody(bytes: number): Buffer {
  const head = '{"resourceType":"Flag","status":"active","text":{"div":"';
  const tail = '"}}';
  return Buffer.from(head + 'x'.repeat(bytes - head.length - tail.length) + tail, 'utf8');
}

/**
 * Sends one request through `agent` and reads the whole response. Rejects if
 * the complete response has not arrived within `timeoutMs` of the call
 * (time spent queued behind the previous request on the connection counts).
 */
function send(agent: Agent, outgoing: Outgoing): Promise<Exchange> {
  const { method, path, body, framing = 'content-length', timeoutMs = ANSWER_WITHIN_MS } = outgoing;
  const url = new URL(path, server?.baseUrl);
  const headers: OutgoingHttpHeaders = { ...outgoing.headers };
  if (body && framing === 'content-length') headers['Content-Length'] = String(body.byteLength);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent, headers });
    let localPort: number | undefined;
    const timer = setTimeout(() => {
      req.destroy(new Error(`${method} ${path}: no complete response within ${timeoutMs} ms (reusedSocket: ${req.reusedSocket})`));
    }, timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    req.on('socket', (socket) => {
      localPort = socket.localPort;
      // A new connection has its local port once connected; a reused one already has it.
      socket.once('connect', () => {
        localPort = socket.localPort;
      });
    });
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          reusedSocket: req.reusedSocket,
          localPort,
          chunked: req.chunkedEncoding,
          elapsedMs: performance.now() - started,
        });
      });
    });
    if (!body) {
      req.end();
    } else if (framing === 'chunked') {
      // Written in pieces with no Content-Length, Node frames a POST or PUT body as chunked.
      for (let offset = 0; offset < body.byteLength; offset += 16 * 1024) req.write(body.subarray(offset, offset + 16 * 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

/** Checks a refusal is the catalogue's FHIR OperationOutcome with exactly `diagnostics`, and has an X-Request-ID. */
function expectRefusal(exchange: Exchange, status: number, diagnostics: string): void {
  expect(exchange.status, exchange.body).toBe(status);
  expect(exchange.headers['content-type']).toBe(FHIR_JSON_UTF8);
  expect(exchange.headers['x-request-id']).toMatch(/\S/);
  const outcome = JSON.parse(exchange.body) as { resourceType?: unknown; issue?: { diagnostics?: unknown }[] };
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue?.[0]?.diagnostics).toBe(diagnostics);
}

/** Checks a legacy refusal is an error message Bundle with the legacy table's row (L-8, L-11.2), and has an X-Request-ID. */
function expectLegacyRefusal(exchange: Pick<Exchange, 'status' | 'headers' | 'body'>, status: number, issueType: string, diagnostics: string): void {
  expect(exchange.status, exchange.body).toBe(status);
  expect(exchange.headers['content-type']).toBe(LEGACY_XML_UTF8);
  expect(exchange.headers['x-request-id']).toMatch(/\S/);
  expect(exchange.body).toMatch(/^<\?xml [^>]*\?><Bundle xmlns="http:\/\/hl7\.org\/fhir">/);
  expect(exchange.body).toContain('<response><identifier value=');
  expect(exchange.body).toContain('<code value="fatal-error"/>');
  expect(exchange.body).toContain(`<issue><severity value="error"/><code value="${issueType}"/>`);
  expect(exchange.body).toContain('<code value="MESSAGE_NOT_WELL_FORMED"/>');
  expect(exchange.body).toContain(`<diagnostics value="${diagnostics}"/>`);
}

/**
 * Over a raw connection, sends a request head declaring a body and never
 * the body, and reads the response. Rejects if the whole response has not
 * come within {@link DECLARED_ONLY_WITHIN_MS}. The connection is destroyed
 * afterwards: the client still owes the server the body it declared.
 */
function headOnly(path: string, headers: Record<string, string>): Promise<Pick<Exchange, 'status' | 'headers' | 'body' | 'elapsedMs'>> {
  const { port } = new URL(server?.baseUrl ?? 'http://127.0.0.1');
  const lines = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`POST ${path} declaring a body it never sent: no complete response within ${DECLARED_ONLY_WITHIN_MS} ms`));
    }, DECLARED_ONLY_WITHIN_MS);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
    };
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error(`POST ${path}: the connection closed before a complete response`)));
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine = '', ...headerLines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const responseHeaders: IncomingHttpHeaders = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        responseHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(responseHeaders['content-length']);
      if (!Number.isInteger(length)) return finish(new Error(`POST ${path}: a response without Content-Length: ${statusLine}`));
      if (received.byteLength < end + 4 + length) return;
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: responseHeaders,
        body: received.subarray(end + 4, end + 4 + length).toString('utf8'),
        elapsedMs: performance.now() - started,
      });
      finish();
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** Sends `GET /metadata` on a new connection and checks it is answered within {@link ANSWER_WITHIN_MS}. */
async function nextOnNewConnection(): Promise<void> {
  const agent = new Agent({ keepAlive: false });
  try {
    const next = await send(agent, { method: 'GET', path: '/metadata' });
    expect(next.reusedSocket).toBe(false);
    expect(next.status, next.body).toBe(200);
    expect((JSON.parse(next.body) as { resourceType?: unknown }).resourceType).toBe('CapabilityStatement');
  } finally {
    agent.destroy();
  }
}

/**
 * Opens one keep-alive connection (`GET /metadata`), sends `refused` on it,
 * then `GET /metadata` again, and checks both went on that same connection
 * and each was answered within {@link ANSWER_WITHIN_MS}.
 *
 * @returns the refused request's exchange, for its own checks.
 */
async function refusedThenNext(refused: Outgoing): Promise<Exchange> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const opening = await send(agent, { method: 'GET', path: '/metadata', timeoutMs: SETUP_REQUEST_TIMEOUT_MS });
    expect(opening.status).toBe(200);

    const answer = await send(agent, refused);
    expect(answer.reusedSocket, 'the refused request went on the opened connection').toBe(true);
    expect(answer.localPort).toBe(opening.localPort);

    const next = await send(agent, { method: 'GET', path: '/metadata' });
    expect(next.reusedSocket, 'the next request went on the same keep-alive connection').toBe(true);
    expect(next.localPort).toBe(opening.localPort);
    expect(next.status, next.body).toBe(200);
    expect(next.headers['content-type']).toBe(FHIR_JSON_UTF8);
    expect((JSON.parse(next.body) as { resourceType?: unknown }).resourceType).toBe('CapabilityStatement');
    expect(next.elapsedMs).toBeLessThan(ANSWER_WITHIN_MS);
    return answer;
  } finally {
    agent.destroy();
  }
}

describe('keep-alive after a refused request body (D-23)', () => {
  it('[D-23] [H-07] after a 413 for a declared 150,000-byte body, the next request on the connection answers within 1 s', async () => {
    const answer = await refusedThenNext({ method: 'POST', path: '/Flag', headers: sandboxHeaders(), body: oversizedFlagBody(150_000) });
    expect(answer.chunked).toBe(false);
    expectRefusal(answer, 413, 'Request body too large');
  });

  it('[D-23] [H-07] after a 413 for a declared 3,000,000-byte body, the next request on the connection answers within 1 s', async () => {
    const answer = await refusedThenNext({ method: 'POST', path: '/Flag', headers: sandboxHeaders(), body: oversizedFlagBody(3_000_000) });
    expectRefusal(answer, 413, 'Request body too large');
  });

  it('[D-23] [H-07] after a 413 for a chunked 150,000-byte body (no Content-Length), the next request on the connection answers within 1 s', async () => {
    const answer = await refusedThenNext({
      method: 'POST',
      path: '/Flag',
      headers: sandboxHeaders(),
      body: oversizedFlagBody(150_000),
      framing: 'chunked',
    });
    expect(answer.chunked).toBe(true);
    expectRefusal(answer, 413, 'Request body too large');
  });

  it('[D-23] [H-07] after a 400 for a 150,000-byte POST with no head parameters, the next request on the connection answers within 1 s', async () => {
    const answer = await refusedThenNext({
      method: 'POST',
      path: '/Flag',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: oversizedFlagBody(150_000),
    });
    expectRefusal(answer, 400, 'Missing or invalid head parameter');
  });

  it('[D-23] [H-07] after a 405 for a DELETE with a declared 150,000-byte body, the next request on the connection answers within 1 s', async () => {
    // Node frames a DELETE body only with an explicit Content-Length, which `send` sets.
    const answer = await refusedThenNext({ method: 'DELETE', path: '/Flag', headers: sandboxHeaders(), body: oversizedFlagBody(150_000) });
    expect(answer.chunked).toBe(false);
    expectRefusal(answer, 405, 'Unsupported service');
  });

  it('[D-23] [H-07] after a 413 for a 100,000-byte PUT to the seeded flag, the next request on the connection answers within 1 s', async () => {
    const answer = await refusedThenNext({
      method: 'PUT',
      path: `/Flag/${SEEDED_FLAG_ID}`,
      headers: { ...sandboxHeaders(), 'If-Match': 'W/"1"' },
      body: oversizedFlagBody(100_000),
    });
    expectRefusal(answer, 413, 'Request body too large');
  });
});

describe('keep-alive after a chunked body of many MiB (D-23, L-11.2)', () => {
  it.each([
    [16.5, '/Flag'],
    [20, '/Flag'],
  ])(
    '[D-23] [H-07] after a 413 for a chunked body of %s MiB to POST %s, the next request on the connection answers within 1 s',
    async (mib, path) => {
      const answer = await refusedThenNext({
        method: 'POST',
        path,
        headers: sandboxHeaders(),
        body: oversizedFlagBody(mib * MiB),
        framing: 'chunked',
        timeoutMs: LARGE_UPLOAD_TIMEOUT_MS,
      });
      expect(answer.chunked).toBe(true);
      expectRefusal(answer, 413, 'Request body too large');
    },
  );

  it.each([
    [17, '/fhir/fgm/query'],
    [20, '/fhir/fgm/create'],
  ])(
    '[L-11.2] [H-07] after the legacy 413 for a chunked body of %s MiB to POST %s, the next request on the connection answers within 1 s',
    async (mib, path) => {
      const answer = await refusedThenNext({
        method: 'POST',
        path,
        headers: { 'Content-Type': LEGACY_XML_UTF8 },
        body: Buffer.alloc(mib * MiB, '<'),
        framing: 'chunked',
        timeoutMs: LARGE_UPLOAD_TIMEOUT_MS,
      });
      expect(answer.chunked).toBe(true);
      expectLegacyRefusal(answer, 413, 'too-costly', 'Request body too large');
    },
  );
});

describe('a declared body that never arrives (D-23, L-11.2)', () => {
  it.each([
    ['', {}],
    [' with Expect: 100-continue', { Expect: '100-continue' }],
  ])(
    '[D-23] [H-07] a POST /Flag declaring 1 MiB%s and sending none gets the 413 within 5 s, and the next request on a new connection answers within 1 s',
    async (_, expect100) => {
      const answer = await headOnly('/Flag', { ...(sandboxHeaders() as Record<string, string>), 'Content-Length': String(MiB), ...expect100 });
      expect(answer.headers['content-type']).toBe(FHIR_JSON_UTF8);
      expect(answer.headers['x-request-id']).toMatch(/\S/);
      expect(answer.status, answer.body).toBe(413);
      expect((JSON.parse(answer.body) as { issue?: { diagnostics?: unknown }[] }).issue?.[0]?.diagnostics).toBe('Request body too large');
      await nextOnNewConnection();
    },
  );

  it.each([
    ['', {}],
    [' with Expect: 100-continue', { Expect: '100-continue' }],
  ])(
    '[L-11.2] [H-07] a legacy create declaring 1 MiB%s and sending none gets the legacy 413 within 5 s, and the next request on a new connection answers within 1 s',
    async (_, expect100) => {
      const answer = await headOnly('/fhir/fgm/create', { 'Content-Type': LEGACY_XML_UTF8, 'Content-Length': String(MiB), ...expect100 });
      expectLegacyRefusal(answer, 413, 'too-costly', 'Request body too large');
      await nextOnNewConnection();
    },
  );
});
