import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../app-env.ts';
import { readRequestText } from '../../http/request-body.ts';
import { unreadBody } from './index.ts';

const MiB = 1024 * 1024;

/** A request body of `chunks` pieces of 1 MiB that records how much was pulled and whether it was cancelled. */
function countedBody(chunks: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) return controller.close();
      seen.pulled++;
      controller.enqueue(new Uint8Array(MiB));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

const app = new Hono<AppEnv>()
  .use(unreadBody())
  .post('/refused', (c) => c.text('refused before the body mattered', 400))
  .post('/read', async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)))
  .post('/read-within-limit', async (c) => c.text((await readRequestText(c.req.raw)).kind, 413));

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('[H-07] unreadBody (D-23)', () => {
  it('reads and discards a body the handler never read, and keeps the connection', async () => {
    const { stream, seen } = countedBody(3);
    const res = await post('/refused', stream);
    expect(res.status).toBe(400);
    expect(res.headers.get('Connection')).toBeNull();
    expect(seen).toEqual({ pulled: 3, cancelled: false });
  });

  it('past 16 MiB of an undeclared (chunked) body, cancels the rest and answers Connection: close', async () => {
    const { stream, seen } = countedBody(40);
    const res = await post('/refused', stream);
    expect(res.status).toBe(400);
    expect(res.headers.get('Connection')).toBe('close');
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(40);
  });

  it('leaves a body declared longer than 16 MiB untouched, for the runtime to deal with', async () => {
    const { stream, seen } = countedBody(40);
    const res = await post('/refused', stream, { 'Content-Length': String(40 * MiB) });
    expect(res.status).toBe(400);
    expect(res.headers.get('Connection')).toBeNull();
    expect(seen.pulled).toBeLessThanOrEqual(1); // at most what the stream queued up front
  });

  it('closes the connection when a handler’s own read had to cut an oversized body short', async () => {
    const { stream, seen } = countedBody(40);
    const res = await post('/read-within-limit', stream);
    expect(await res.text()).toBe('too-large');
    expect(res.headers.get('Connection')).toBe('close');
    expect(seen.cancelled).toBe(true);
  });

  it('does nothing to a body the handler read', async () => {
    const { stream, seen } = countedBody(2);
    const res = await post('/read', stream);
    expect(await res.text()).toBe(String(2 * MiB));
    expect(res.headers.get('Connection')).toBeNull();
    expect(seen).toEqual({ pulled: 2, cancelled: false });
  });
});
