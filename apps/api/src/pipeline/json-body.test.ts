import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { stubServices } from '../test-support/stub-services.ts';
import { jsonBody } from './json-body.ts';
import { services } from './services.ts';

const app = new Hono<AppEnv>().use(services(() => stubServices())).post('/', jsonBody(), (c) => c.json({ received: c.get('body') }));

const diagnosticsOf = async (res: Response) => ((await res.json()) as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics;

describe('jsonBody', () => {
  it('[H-08] parses JSON, keeping __proto__ as data', async () => {
    const res = await app.request('/', { method: 'POST', body: '{"a":1,"__proto__":{"x":1}}' });
    expect(res.status).toBe(200);
    const { received } = (await res.json()) as { received: Record<string, unknown> };
    expect(Object.hasOwn(received, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('[H-07] [H-08] refuses a declared length over 64 KiB without reading it', async () => {
    const res = await app.request('/', { method: 'POST', headers: { 'Content-Length': '65537' }, body: '{}' });
    expect(res.status).toBe(413);
    expect(await diagnosticsOf(res)).toBe('Request body too large');
  });

  it('[H-08] a body whose upload fails part-way is Invalid request body, not a 5xx', async () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(new TextEncoder().encode('{"resourceType":'));
        } else controller.error(new Error('connection reset by peer'));
      },
    });
    const res = await app.request('/', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(400);
    expect(await diagnosticsOf(res)).toBe('Invalid request body');
  });

  it('[H-08] refuses malformed JSON as Invalid request body', async () => {
    const res = await app.request('/', { method: 'POST', body: '{' });
    expect(res.status).toBe(400);
    expect(await diagnosticsOf(res)).toBe('Invalid request body');
  });
});
