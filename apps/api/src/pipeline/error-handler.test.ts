import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';
import { sequentialIds, stubServices } from '../test-support/stub-services.ts';
import { errorHandler } from './error-handler.ts';
import { requestContext } from './request-context.ts';
import { services } from './services.ts';

const app = new Hono<AppEnv>()
  .use(requestContext({ newId: sequentialIds() }))
  .use(services(() => stubServices()))
  .get('/kv', () => {
    throw new DependencyUnavailableError('kv', { cause: new Error('active:9000000009 read failed') });
  })
  .get('/jwks', () => {
    // As jose's JWKSTimeout reaches the log from a minified bundle: its class name shortened, its code intact.
    throw new DependencyUnavailableError('jwks', { cause: Object.assign(new Error('timed out'), { name: 'e', code: 'ERR_JWKS_TIMEOUT' }) });
  })
  .get('/bug', () => {
    throw new TypeError('secret internals at flag:9000000009 Bearer eyJ...');
  })
  .onError(errorHandler());

afterEach(() => vi.restoreAllMocks());

describe('errorHandler', () => {
  it.each([
    ['/kv', 503, 'SERVICE_UNAVAILABLE'],
    ['/bug', 500, 'INTERNAL_SERVER_ERROR'],
  ])('[H-01] [H-04] %s → %i %s, no internals in the body or the log', async (path, status, code) => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.join(' ')));
    const res = await app.request(path);
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(JSON.parse(text).issue[0].details.coding[0].code).toBe(code);
    for (const output of [text, ...logged]) {
      expect(output).not.toContain('9000000009');
      expect(output).not.toContain('eyJ');
    }
    expect(text).not.toContain('internals');
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0] ?? '{}')).toMatchObject({ level: 'error', requestId: res.headers.get('X-Request-ID') ?? 'missing' });
  });

  it('logs enough to debug: class, scrubbed message, the throwing frame, and a dependency’s own error and its code', async () => {
    const logged: Record<string, unknown>[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(JSON.parse(String(line))));
    await app.request('/kv');
    await app.request('/bug');
    await app.request('/jwks');
    expect(logged[0]).toMatchObject({
      event: 'dependency_unavailable',
      method: 'GET',
      route: '/kv',
      error: 'DependencyUnavailableError',
      message: 'kv unavailable',
      dependency: 'kv',
      causeError: 'Error',
      causeMessage: 'active:[nhs-number] read failed',
    });
    expect(logged[1]).toMatchObject({
      event: 'unhandled_error',
      route: '/bug',
      error: 'TypeError',
      message: expect.stringContaining('flag:[nhs-number]'),
    });
    expect(String(logged[1]?.where)).toMatch(/^at /);
    expect(logged[0]).not.toHaveProperty('causeCode');
    expect(logged[2]).toMatchObject({ event: 'dependency_unavailable', dependency: 'jwks', causeError: 'e', causeCode: 'ERR_JWKS_TIMEOUT' });
  });
});
