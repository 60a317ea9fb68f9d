/**
 * Request bodies at the byte level (D-12, D-23): read within the rules' size
 * limit, and never left half-read. A body is read to its end (discarding
 * what is not wanted) or, when it stops arriving, cancelled with the
 * response saying `Connection: close`. Measured against `wrangler dev`: a
 * body read to its end keeps the keep-alive connection usable; one cancelled
 * while it is still arriving leaves the client's next request on that
 * connection waiting, or gets a plain-text 503 from the local proxy; one
 * cancelled when nothing more is coming (or the client waits on `Expect:
 * 100-continue`) lets the 413 through at once.
 */
import { checkBodySize } from '@fgm-is/rules';

/**
 * How long a body may send nothing before the server stops waiting for it:
 * it is then cancelled and the response closes the connection. This, not a
 * byte count, bounds the discarding: however large, a body that keeps
 * arriving is read to its end (the platform's own request-size limit caps
 * what can arrive; nothing is kept, so memory stays flat), since cutting a
 * body short while it is still arriving is what strands the connection.
 */
const STALL_LIMIT_MS = 1_000;

/** What reading a body gave. */
type BodyRead =
  | { readonly kind: 'read'; readonly bytes: Uint8Array }
  /** Over the size limit: the rest read and discarded, or, when declared too large, left for {@link discardUnreadBody}. */
  | { readonly kind: 'too-large' }
  /** The client's upload failed part-way: its fault, never a 5xx. */
  | { readonly kind: 'broken' };

/** What reading a body as text gave: the text, or why there is none. */
export type TextRead = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'not-utf8' } | Exclude<BodyRead, { kind: 'read' }>;

/**
 * @internal Requests whose body a read here had to cancel (it stopped
 * arriving): whatever answers them, {@link discardUnreadBody} (run after
 * every response) has it close the connection. One place decides
 * `Connection: close`, not each reader.
 */
const cutShort = new WeakSet<Request>();

/** @internal Strict UTF-8: an invalid sequence is an error, never U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** @internal A declared Content-Length, when there is a well-formed one. */
function declaredLength(request: Request): number | undefined {
  const value = request.headers.get('Content-Length');
  return value !== null && /^[0-9]{1,15}$/.test(value) ? Number(value) : undefined;
}

/** @internal Whether the client waits for `100 Continue` before sending its body (RFC 9110 §10.1.1). */
function expectsContinue(request: Request): boolean {
  return request.headers.get('Expect')?.trim().toLowerCase() === '100-continue';
}

/**
 * @internal Reads and discards the rest of a body, to its end however long
 * it is; when nothing arrives for {@link STALL_LIMIT_MS}, cancels it instead.
 *
 * @returns false when the body was cancelled because it stopped arriving.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<'stalled'>((resolve) => {
      timer = setTimeout(() => resolve('stalled'), STALL_LIMIT_MS);
    });
    let chunk: ReadableStreamReadResult<Uint8Array> | 'stalled' | 'broken';
    try {
      // The read is settled here even when the stall wins: cancelling a network body then rejects it ("Network
      // connection lost"), which would otherwise surface as an unhandled rejection on whatever runs next.
      const read = reader.read().catch(() => 'broken' as const);
      chunk = await Promise.race([read, stalled]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    if (chunk === 'stalled') break;
    if (chunk === 'broken' || chunk.done) return true; // ended, or ended badly: nothing is left to read
  }
  await reader.cancel().catch(() => undefined);
  return false;
}

/**
 * @internal Reads a request body within the rules' size limit, counted on the bytes
 * received (a lying or absent Content-Length does not help). Past the limit
 * it reads the rest to its end and discards it (see {@link discardRest}).
 */
export async function readRequestBody(request: Request): Promise<BodyRead> {
  const body = request.body;
  if (!body) return { kind: 'read', bytes: new Uint8Array(0) };
  const declared = declaredLength(request);
  // Declared too large: not read here; `discardUnreadBody` deals with it once the response is built.
  if (declared !== undefined && !checkBodySize(declared).ok) return { kind: 'too-large' };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      return { kind: 'broken' };
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (!checkBodySize(size).ok) {
      if (!(await discardRest(reader))) cutShort.add(request);
      return { kind: 'too-large' };
    }
    chunks.push(chunk.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: 'read', bytes };
}

/**
 * Reads a request body as strict UTF-8 text, within the rules' size limit
 * (see {@link readRequestBody}): the text, `too-large`, `broken` (the upload
 * failed part-way) or `not-utf8`.
 */
export async function readRequestText(request: Request): Promise<TextRead> {
  const read = await readRequestBody(request);
  if (read.kind !== 'read') return read;
  try {
    return { kind: 'text', text: utf8.decode(read.bytes) };
  } catch {
    return { kind: 'not-utf8' };
  }
}

/**
 * Reads and discards a body nobody read (a request refused before its body
 * mattered, or declared too large), to its end however large (see
 * {@link discardRest}). A body the client has not been asked for (it waits
 * on `Expect: 100-continue`) is not waited for: it is cancelled at once.
 *
 * @returns false when the body was cancelled, here or by an earlier read: the response must then close the connection.
 */
export async function discardUnreadBody(request: Request): Promise<boolean> {
  if (cutShort.has(request)) return false;
  const body = request.body;
  if (!body || request.bodyUsed || body.locked) return true;
  if (expectsContinue(request)) {
    await body.cancel().catch(() => undefined);
    return false;
  }
  return discardRest(body.getReader());
}
