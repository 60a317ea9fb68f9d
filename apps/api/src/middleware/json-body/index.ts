import { MAX_BODY_BYTES, catalogue, parseJsonBody } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import { sendOutcome } from '../../http/respond.ts';

/**
 * @internal Reads at most `limit` bytes of a body: `'too-large'` when it is
 * longer (whatever Content-Length said), `'broken'` when the client's upload
 * fails part-way (a truncated body is the client's fault, not a 5xx).
 */
async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | 'too-large' | 'broken'> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      return 'broken';
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return 'too-large';
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads the request body as JSON (D-6, D-12): more than 64 KiB → 413
 * (counted on the bytes received, so a lying or absent Content-Length does
 * not help); invalid UTF-8 or JSON → 400 `Invalid request body`.
 */
export function jsonBody() {
  return createMiddleware<AppEnv>(async function jsonBody(c, next) {
    const declared = Number(c.req.header('Content-Length'));
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      await c.req.raw.body?.cancel().catch(() => undefined);
      return sendOutcome(c, catalogue.BODY_TOO_LARGE);
    }
    const bytes = await readLimited(c.req.raw.body, MAX_BODY_BYTES);
    if (bytes === 'too-large') return sendOutcome(c, catalogue.BODY_TOO_LARGE);
    if (bytes === 'broken') return sendOutcome(c, catalogue.INVALID_BODY);
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return sendOutcome(c, catalogue.INVALID_BODY);
    }
    const parsed = parseJsonBody(text);
    if (!parsed.ok) return sendOutcome(c, parsed.error);
    c.set('body', parsed.value);
    await next();
  });
}
