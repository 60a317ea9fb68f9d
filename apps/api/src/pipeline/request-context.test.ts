import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { at, sequentialIds } from '../test-support/stub-services.ts';
import { requestContext, stampedResponse } from './request-context.ts';

const app = new Hono<AppEnv>()
  .use(requestContext({ clock: at('2026-11-21T10:00:00.000Z'), newId: sequentialIds('00000000-0000-4000-8000-') }))
  .get('/ok', (c) => c.json({ requestId: c.get('requestId'), now: c.get('now').toISOString() }))
  .get('/stamped', (c) => stampedResponse(c, '{}', 201, { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=60', ETag: 'W/"1"' }))
  .get('/stamped-then-replaced', async (c) => {
    const first = stampedResponse(c, 'first', 200, {});
    return new Response(await first.text(), { status: 202 });
  })
  .get('/boom', () => {
    throw new Error('boom');
  })
  .onError((_e, c) => c.text('handled', 500));

describe('requestContext', () => {
  it('sets the request id and the clock for everything after it', async () => {
    const res = await app.request('/ok');
    expect(await res.json()).toEqual({ requestId: res.headers.get('X-Request-ID'), now: '2026-11-21T10:00:00.000Z' });
  });

  it('[H-02] [H-04] stamps request id, date, no-store and nosniff, and echoes TraceID and X-Correlation-ID', async () => {
    const res = await app.request('/ok', { headers: { TraceID: 'abc-123', 'X-Correlation-ID': 'corr-1' } });
    expect(Object.fromEntries(res.headers)).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/json',
      date: 'Sat, 21 Nov 2026 10:00:00 GMT',
      traceid: 'abc-123',
      'x-content-type-options': 'nosniff',
      'x-correlation-id': 'corr-1',
      'x-request-id': expect.stringMatching(/^00000000-0000-4000-8000-0000000000\d\d$/),
    });
  });

  it('[H-02] [H-04] a response built with the stamp carries the same headers, over any of the same name the responder gave', async () => {
    const headers = { TraceID: 'abc-123', 'X-Correlation-ID': 'corr-1' };
    const built = await app.request('/stamped', { headers });
    const stamped = await app.request('/ok', { headers });
    expect(built.status).toBe(201);
    const withoutId = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => name !== 'x-request-id'));
    expect(withoutId(built)).toEqual({ ...withoutId(stamped), etag: 'W/"1"' });
    expect(built.headers.get('X-Request-ID')).toMatch(/^00000000-0000-4000-8000-/);
  });

  it('[H-02] [H-04] stamps a response that replaced a stamped one', async () => {
    const res = await app.request('/stamped-then-replaced', { headers: { TraceID: 'abc-123' } });
    expect(res.status).toBe(202);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('TraceID')).toBe('abc-123');
    expect(res.headers.get('X-Request-ID')).toMatch(/^00000000-0000-4000-8000-/);
  });

  it('does not echo a malformed TraceID', async () => {
    const res = await app.request('/ok', { headers: { TraceID: 'has space' } });
    expect(res.headers.get('TraceID')).toBeNull();
  });

  it('[H-02] [H-04] stamps error responses too', async () => {
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('X-Request-ID')).toMatch(/^00000000-0000-4000-8000-/);
  });
});

describe('request ids (D-21)', () => {
  it.each(['6f1c1d8e-6c55-4d0a-9a40-3f7a3c2f0b11', '6F1C1D8E-6C55-4D0A-9A40-3F7A3C2F0B11', '00000000-0000-0000-0000-000000000000'])(
    'mirrors a client X-Request-ID that is a UUID (%s)',
    async (offered) => {
      const res = await app.request('/ok', { headers: { 'X-Request-ID': offered } });
      expect(res.headers.get('X-Request-ID')).toBe(offered);
      expect(((await res.json()) as { requestId: string }).requestId).toBe(offered);
    },
  );

  it.each(['abc', '6f1c1d8e6c554d0a9a403f7a3c2f0b11', '{6f1c1d8e-6c55-4d0a-9a40-3f7a3c2f0b11}', 'x'.repeat(300)])(
    'generates its own id instead of %j',
    async (offered) => {
      const res = await app.request('/ok', { headers: { 'X-Request-ID': offered } });
      expect(res.headers.get('X-Request-ID')).toMatch(/^00000000-0000-4000-8000-/);
    },
  );
});
