/**
 * The sandbox token request's JSON body, read as the API reads its bodies
 * (D-12, D-23): more than the rules' limit (64 KiB, counted on the bytes
 * received) → 413; invalid UTF-8, JSON or a key given twice → 400 `Invalid
 * request body`. The body is always read to its end, what is past the limit
 * discarded, so the connection the API took it from stays usable.
 */
import { type Result, catalogue, checkBodySize, parseJsonBody } from '@fgm-is/rules';

/** @internal Strict UTF-8: an invalid sequence is an error, never U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The parsed body, or the catalogue entry that refuses it. */
export async function readJsonBody(request: Request): Promise<Result<unknown>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let tooLarge = false;
  if (request.body) {
    const reader = request.body.getReader();
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        size += chunk.value.byteLength;
        if (!tooLarge && !checkBodySize(size).ok) tooLarge = true;
        if (!tooLarge) chunks.push(chunk.value);
      }
    } catch {
      // The upload failed part-way: the client's fault, never a 5xx.
      return { ok: false, error: catalogue.INVALID_BODY };
    }
  }
  if (tooLarge) return { ok: false, error: catalogue.BODY_TOO_LARGE };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, error: catalogue.INVALID_BODY };
  }
  return parseJsonBody(text);
}
