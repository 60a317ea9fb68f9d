/**
 * A malformed `Host` end to end, against the real local server (`wrangler
 * dev`), over raw sockets to 127.0.0.1 (an HTTP client would not send
 * these). What the local runtime does with each, measured:
 *
 * - `a b`, `a@b`, `ünicode.example`: workerd's HTTP server (the dev proxy's,
 *   on the port `wrangler dev` listens on) cannot build the request URL
 *   from them ("invalid hostname when stringifying URL") and answers a
 *   plain-text 500 itself, with `Connection: close`, before any Worker runs.
 * - `x:99999`: workerd builds the URL, and the first code to parse it, the
 *   local runtime's own entry worker (before wrangler's proxy and ours),
 *   throws "Invalid URL string": the same plain-text 500.
 *
 * So none of them reaches this Worker locally (nor, in production, past
 * Cloudflare's edge, which routes by `Host`); `test/transport.test.ts`
 * shows the Worker's own 400s by handing such requests to it directly.
 * Here: every answer either comes from the Worker, and is then its 400 in
 * the channel's format with the standard headers, or is that refusal of
 * the runtime's, never the Worker's; the server goes on serving; and the
 * host forms the runtime does hand over are served normally.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSandboxToken } from '../scripts/sandbox-token.ts';
import { type SandboxServer, startSandboxServer } from './support/server.ts';

/** The longest any one exchange may take. */
const ANSWER_WITHIN_MS = 5_000;
const MALFORMED_HOSTS = ['a b', 'a@b', 'x:99999', 'ünicode.example'];
const LEGACY_QUERY = `<Bundle xmlns="http://hl7.org/fhir"><type value="message"/></Bundle>`;

let server: SandboxServer | undefined;
let port = 0;
let token = '';

beforeAll(async () => {
  token = await signSandboxToken({ sub: '555555555555', activities: ['B0380'], role: 'R8000', org: 'A12345' });
  server = await startSandboxServer();
  port = Number(new URL(server.baseUrl).port);
}, 90_000);

afterAll(async () => {
  await server?.stop();
}, 30_000);

/** A response as read off the wire. */
interface RawResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Sends one request with `Connection: close` over a new connection to
 * 127.0.0.1, the `Host` line exactly as given (UTF-8 on the wire), and reads
 * the response to the connection's end. Rejects after {@link ANSWER_WITHIN_MS}.
 */
function exchange(method: string, path: string, host: string, headers: Record<string, string> = {}, body = ''): Promise<RawResponse> {
  const payload = Buffer.from(body, 'utf8');
  const head = [
    `${method} ${path} HTTP/1.1`,
    `Host: ${host}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ...(payload.byteLength > 0 ? [`Content-Length: ${payload.byteLength}`] : []),
    'Connection: close',
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${method} ${path} with Host ${JSON.stringify(host)}: no complete response within ${ANSWER_WITHIN_MS} ms`));
    }, ANSWER_WITHIN_MS);
    socket.on('data', (data: Buffer) => {
      chunks.push(data);
      let response: RawResponse | undefined;
      try {
        response = parse(Buffer.concat(chunks));
      } catch (error) {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
        return;
      }
      if (response) {
        clearTimeout(timer);
        socket.destroy();
        resolve(response);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`${method} ${path} with Host ${JSON.stringify(host)}: closed before a complete response`));
    });
    socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'), payload]));
  });
}

/** @internal A complete response with a Content-Length, or undefined while more is to come. */
function parse(received: Buffer): RawResponse | undefined {
  const end = received.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? Number.NaN);
  if (!Number.isInteger(length)) throw new Error(`a response without Content-Length: ${statusLine}`);
  if (received.byteLength < end + 4 + length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: received.subarray(end + 4, end + 4 + length).toString('utf8') };
}

/** The head parameters of a sandbox system allowed everything. */
function sandboxHeaders(): Record<string, string> {
  return { Authorization: `Bearer ${token}`, TraceID: 'e2e-host', FromASID: '200000000001', ToASID: '200000000000' };
}

/** Asserts the headers the Worker puts on every response (D-3, D-12, L-2). */
function expectStandardHeaders(response: RawResponse): void {
  expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
}

/** The requests tried with each malformed host: health, docs, metadata, an FGM interaction, a legacy endpoint. */
const REQUESTS = [
  { channel: 'json', method: 'GET', path: '/_ping' },
  { channel: 'json', method: 'GET', path: '/' },
  { channel: 'json', method: 'GET', path: '/metadata' },
  { channel: 'json', method: 'GET', path: '/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009', fgm: true },
  { channel: 'legacy', method: 'POST', path: '/fhir/fgm/query', body: LEGACY_QUERY },
] as const;

describe('[H-04] a malformed Host, end to end', () => {
  it.each(MALFORMED_HOSTS)(
    'Host %j: never a 5xx from the Worker (its answer, if it gives one, is the 400 in the channel’s format), and the server goes on serving',
    async (host) => {
      for (const request of REQUESTS) {
        const headers: Record<string, string> = request.channel === 'legacy' ? { 'Content-Type': 'application/xml+fhir; charset=utf-8' } : {};
        const response = await exchange(
          request.method,
          request.path,
          host,
          'fgm' in request ? sandboxHeaders() : headers,
          'body' in request ? request.body : '',
        );
        const where = `${request.method} ${request.path}`;
        if (response.headers['x-request-id'] === undefined) {
          // Refused by the local runtime before the Worker ran (see the file's comment): no header of the Worker's, and its plain text.
          expect(response.status, where).toBe(500);
          expect(response.body, where).toBe('Internal Server Error');
          expect(response.headers['cache-control'], where).toBeUndefined();
          continue;
        }
        expect(response.status, where).toBe(400);
        expectStandardHeaders(response);
        if (request.channel === 'legacy') {
          expect(response.headers['content-type'], where).toBe('application/xml+fhir; charset=utf-8');
          expect(response.body, where).toContain('<code value="MESSAGE_NOT_WELL_FORMED"/>');
        } else {
          expect(response.headers['content-type'], where).toBe('application/fhir+json; charset=utf-8');
          expect(JSON.parse(response.body), where).toMatchObject({
            resourceType: 'OperationOutcome',
            issue: [{ details: { coding: [{ code: 'PRECONDITION_FAILED' }] } }],
          });
        }
      }
      const ping = await exchange('GET', '/_ping', `127.0.0.1:${port}`);
      expect(ping.status).toBe(200);
    },
  );

  it.each(['LOCALHOST:{port}', '127.0.0.1:{port}', '[::1]:{port}', 'localhost'])(
    'Host %s, which the local runtime hands to the Worker, is served with the standard headers',
    async (form) => {
      const host = form.replace('{port}', String(port));
      const ping = await exchange('GET', '/_ping', host);
      expect(ping.status).toBe(200);
      expectStandardHeaders(ping);
      const metadata = await exchange('GET', '/metadata', host);
      expect(metadata.status).toBe(200);
      expectStandardHeaders(metadata);
      expect(JSON.parse(metadata.body)).toMatchObject({ resourceType: 'CapabilityStatement' });
    },
  );
});
