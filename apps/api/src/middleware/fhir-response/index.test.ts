import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { stubServices } from '../../../test/support/stub-services.ts';
import type { AppEnv } from '../../app-env.ts';
import { services } from '../services/index.ts';
import { fhirResponse } from './index.ts';

const app = new Hono<AppEnv>()
  .use(fhirResponse())
  .use(services(() => stubServices()))
  .get('/ok', (c) => c.json({ ok: true }))
  .get('/boom', () => {
    throw new Error('boom');
  })
  .onError((_e, c) => c.text('handled', 500));

describe('fhirResponse', () => {
  it('stamps request id, date, no-store and nosniff, and echoes TraceID and X-Correlation-ID', async () => {
    const res = await app.request('/ok', { headers: { TraceID: 'abc-123', 'X-Correlation-ID': 'corr-1' } });
    expect(Object.fromEntries(res.headers)).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/json',
      date: 'Sat, 21 Nov 2026 10:00:00 GMT',
      traceid: 'abc-123',
      'x-content-type-options': 'nosniff',
      'x-correlation-id': 'corr-1',
      'x-request-id': '00000000-0000-4000-8000-000000000001',
    });
  });

  it('does not echo a malformed TraceID', async () => {
    const res = await app.request('/ok', { headers: { TraceID: 'has space' } });
    expect(res.headers.get('TraceID')).toBeNull();
  });

  it('stamps error responses too', async () => {
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('X-Request-ID')).toBe('00000000-0000-4000-8000-000000000001');
  });
});
