import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { countedBody } from '../test-support/counted-body.ts';
import { readRequestText } from './request-body.ts';
import { unreadBody } from './unread-body.ts';

const MiB = 1024 * 1024;
/** Longer than the stall limit of `request-body.ts` with room to spare: a response later than this is a hang. */
const ANSWER_WITHIN_MS = 4_000;

const app = new Hono<AppEnv>()
  .use(unreadBody())
  .post('/refused', (c) => c.text('refused before the body mattered', 400))
  .post('/read', async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)))
  .post('/read-within-limit', async (c) => c.text((await readRequestText(c.req.raw)).kind, 413));

/** POSTs `body`; rejects if no response comes within {@link ANSWER_WITHIN_MS} (the request is left waiting, as a client would be). */
async function post(path: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`POST ${path}: no response within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  try {
    return await Promise.race([app.request(path, { method: 'POST', body, headers, duplex: 'half' } as RequestInit), hang]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

describe('[H-07] unreadBody (D-23)', () => {
  it('reads and discards a body the handler never read, and keeps the connection', async () => {
    const { stream, seen } = countedBody(3);
    const res = await post('/refused', stream);
    expect(res.status).toBe(400);
    expect(res.headers.get('Connection')).toBeNull();
    expect(seen).toEqual({ pulled: 3, cancelled: false });
  });

  it('[D-23] reads an undeclared (chunked) body of 40 MiB to its end, past any size, and keeps the connection', async () => {
    const { stream, seen } = countedBody(40);
    const res = await post('/refused', stream);
    expect(res.status).toBe(400);
    expect(res.headers.get('Connection')).toBeNull();
    expect(seen).toEqual({ pulled: 40, cancelled: false });
  });

  it('[D-23] reads a body declared at 40 MiB to its end too, and keeps the connection', async () => {
    const { stream, seen } = countedBody(40);
    const res = await post('/refused', stream, { 'Content-Length': String(40 * MiB) });
    expect(res.status).toBe(400);
    expect(res.headers.get('Connection')).toBeNull();
    expect(seen).toEqual({ pulled: 40, cancelled: false });
  });

  it('[D-23] after a handler’s read finds a 40 MiB body over the limit, the rest is read to its end and the connection kept', async () => {
    const { stream, seen } = countedBody(40);
    const res = await post('/read-within-limit', stream);
    expect(await res.text()).toBe('too-large');
    expect(res.headers.get('Connection')).toBeNull();
    expect(seen).toEqual({ pulled: 40, cancelled: false });
  });

  it('[D-23] a declared 1 MiB body that never arrives is not waited for: answered with Connection: close, the body cancelled', async () => {
    const { stream, seen } = countedBody(1, 0);
    const res = await post('/refused', stream, { 'Content-Length': String(MiB) });
    expect(res.status).toBe(400);
    expect(res.headers.get('Connection')).toBe('close');
    expect(seen).toEqual({ pulled: 0, cancelled: true });
  });

  it('[D-23] a body that stops arriving part-way is not waited for: answered with Connection: close, the body cancelled', async () => {
    const { stream, seen } = countedBody(40, 2);
    const res = await post('/read-within-limit', stream);
    expect(await res.text()).toBe('too-large');
    expect(res.headers.get('Connection')).toBe('close');
    expect(seen).toEqual({ pulled: 2, cancelled: true });
  });

  it.each([
    ['refused before its body mattered', '/refused', 400],
    ['declared over the limit and refused by the handler’s read', '/read-within-limit', 413],
  ])('[D-23] with Expect: 100-continue, a body %s is never waited for: cancelled unread, Connection: close', async (_, path, status) => {
    const { stream, seen } = countedBody(1, 0);
    const res = await post(path, stream, { 'Content-Length': String(MiB), Expect: '100-continue' });
    expect(res.status).toBe(status);
    expect(res.headers.get('Connection')).toBe('close');
    expect(seen).toEqual({ pulled: 0, cancelled: true });
  });

  it('does nothing to a body the handler read', async () => {
    const { stream, seen } = countedBody(2);
    const res = await post('/read', stream);
    expect(await res.text()).toBe(String(2 * MiB));
    expect(res.headers.get('Connection')).toBeNull();
    expect(seen).toEqual({ pulled: 2, cancelled: false });
  });
});
