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
export type BodyRead =
  | { readonly kind: 'read'; readonly bytes: Uint8Array }
  /** Over the size limit; `close` says the rest could not be discarded, so the connection must close. */
  | { readonly kind: 'too-large'; readonly close: boolean }
  /** The client's upload failed part-way: its fault, never a 5xx. */
  | { readonly kind: 'broken' };

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
 * Reads a request body within the rules' size limit, counted on the bytes
 * received (a lying or absent Content-Length does not help). Past the limit
 * it goes on reading and discarding, up to {@link DISCARD_LIMIT_BYTES}.
 */
export async function readRequestBody(request: Request): Promise<BodyRead> {
  const body = request.body;
  if (!body) return { kind: 'read', bytes: new Uint8Array(0) };
  const declared = declaredLength(request);
  // Declared too large: left untouched here; `discardUnreadBody` deals with it once the response is built.
  if (declared !== undefined && !checkBodySize(declared).ok) return { kind: 'too-large', close: false };
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
    if (!checkBodySize(size).ok) return { kind: 'too-large', close: !(await discardRest(reader, size)) };
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
 * Reads and discards a body nobody read (a request refused before its body
 * mattered), up to {@link DISCARD_LIMIT_BYTES}. A body declared longer than
 * that is left untouched, for the runtime to deal with.
 *
 * @returns false when the body had to be cut short: the response must then close the connection.
 */
export async function discardUnreadBody(request: Request): Promise<boolean> {
  const body = request.body;
  if (!body || request.bodyUsed || body.locked) return true;
  const declared = declaredLength(request);
  if (declared !== undefined && declared > DISCARD_LIMIT_BYTES) return true;
  return discardRest(body.getReader(), 0);
}
