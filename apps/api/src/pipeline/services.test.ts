import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { stubServices } from '../test-support/stub-services.ts';
import { services } from './services.ts';

describe('services', () => {
  it('resolves the services from the Worker env, once per request', async () => {
    const seen: unknown[] = [];
    const app = new Hono<AppEnv>()
      .use(
        services((env) => {
          seen.push(env);
          return stubServices({ publicBaseUrl: 'https://fgm.example' });
        }),
      )
      .get('/', (c) => c.text(c.get('services').publicBaseUrl ?? ''));
    const env = { marker: 1 } as unknown as Env;
    const res = await app.request('/', {}, env);
    expect(await res.text()).toBe('https://fgm.example');
    expect(seen).toEqual([env]);
  });

  it('a resolver that throws (a configuration fault) reaches the error handler', async () => {
    const app = new Hono<AppEnv>()
      .use(
        services(() => {
          throw new Error('misconfigured');
        }),
      )
      .get('/', (c) => c.text('unreachable'))
      .onError((error, c) => c.text(`handled: ${error.message}`, 500));
    const res = await app.request('/');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('handled: misconfigured');
  });
});
