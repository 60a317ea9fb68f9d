/**
 * Request bodies at the byte level (D-12, D-23): read within the rules' size
 * limit, and never left half-read. A body is either not touched at all or
 * read to its end (discarding what is not wanted): a body read part-way or
 * cancelled leaves the client's next request on that keep-alive connection
 * waiting, or gets a plain-text 503 from the local runtime's proxy, while an
 * untouched or fully read one does not (measured against `wrangler dev`).
 */
import { checkBodySize } from '@fgm-is/rules';

/**
 * The most of an unwanted body the server reads and discards. Beyond it the
 * body is cancelled and the response says `Connection: close` (Cloudflare's
 * edge closes that connection; the local dev proxy does not pass the header on).
 */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

/** What reading a body gave. */
type BodyRead =
  | { readonly kind: 'read'; readonly bytes: Uint8Array }
  /** Over the size limit (what could be was discarded; see {@link discardUnreadBody} for the rest). */
  | { readonly kind: 'too-large' }
  /** The client's upload failed part-way: its fault, never a 5xx. */
  | { readonly kind: 'broken' };

/** What reading a body as text gave: the text, or why there is none. */
export type TextRead = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'not-utf8' } | Exclude<BodyRead, { kind: 'read' }>;

/**
 * @internal Requests whose body a read here had to cut short: whatever
 * answers them, {@link discardUnreadBody} (run after every response) has it
 * close the connection. One place decides `Connection: close`, not each reader.
 */
const cutShort = new WeakSet<Request>();

/** @internal Strict UTF-8: an invalid sequence is an error, never U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** @internal A declared Content-Length, when there is a well-formed one. */
function declaredLength(request: Request): number | undefined {
  const value = request.headers.get('Content-Length');
  return value !== null && /^[0-9]{1,15}$/.test(value) ? Number(value) : undefined;
}

/** @internal Reads and discards the rest of a body, up to {@link DISCARD_LIMIT_BYTES} in all; false when it had to stop short. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number): Promise<boolean> {
  let total = alreadyRead;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      total += value.byteLength;
      if (total > DISCARD_LIMIT_BYTES) break;
    }
  } catch {
    return true; // the upload ended badly: nothing is left to read
  }
  await reader.cancel().catch(() => undefined);
  return false;
}

/**
 * @internal Reads a request body within the rules' size limit, counted on the bytes
 * received (a lying or absent Content-Length does not help). Past the limit
 * it goes on reading and discarding, up to {@link DISCARD_LIMIT_BYTES}.
 */
async function readRequestBody(request: Request): Promise<BodyRead> {
  const body = request.body;
  if (!body) return { kind: 'read', bytes: new Uint8Array(0) };
  const declared = declaredLength(request);
  // Declared too large: left untouched here; `discardUnreadBody` deals with it once the response is built.
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
      if (!(await discardRest(reader, size))) cutShort.add(request);
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
 * mattered), up to {@link DISCARD_LIMIT_BYTES}. A body declared longer than
 * that is left untouched, for the runtime to deal with.
 *
 * @returns false when the body had to be cut short, here or by an earlier read: the response must then close the connection.
 */
export async function discardUnreadBody(request: Request): Promise<boolean> {
  if (cutShort.has(request)) return false;
  const body = request.body;
  if (!body || request.bodyUsed || body.locked) return true;
  const declared = declaredLength(request);
  if (declared !== undefined && declared > DISCARD_LIMIT_BYTES) return true;
  return discardRest(body.getReader(), 0);
}
