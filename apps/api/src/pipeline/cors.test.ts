import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { stubServices } from '../test-support/stub-services.ts';
import { corsWhenConfigured } from './cors.ts';
import { methodNotAllowed } from './method-not-allowed.ts';
import { services } from './services.ts';

/** An app with a Flag route, as the API mounts it behind CORS. */
const appWith = (corsOrigins: string[]) =>
  new Hono<AppEnv>()
    .use(services(() => stubServices({ corsOrigins })))
    .use(corsWhenConfigured())
    .get('/Flag', (c) => c.json({ resourceType: 'Bundle' }))
    .all('/Flag', methodNotAllowed(['GET', 'POST']));

const corsHeaders = (res: Response) => [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('[H-04] corsWhenConfigured', () => {
  it('sends no CORS headers by default, and a preflight is the ordinary 405', async () => {
    const app = appWith([]);
    const response = await app.request('/Flag', { headers: { Origin: 'https://evil.example' } });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual([]);
    const preflight = await app.request('/Flag', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(405);
    expect(corsHeaders(preflight)).toEqual([]);
  });

  it('with configured origins, exactly those get CORS headers (never *, never credentials)', async () => {
    const app = appWith(['https://gp.example']);
    const allowed = await app.request('/Flag', { headers: { Origin: 'https://gp.example' } });
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://gp.example');
    expect(allowed.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(allowed.headers.get('Access-Control-Expose-Headers')).toBe('ETag,Last-Modified,Location,TraceID,X-Request-ID,X-Correlation-ID');
    const other = await app.request('/Flag', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const preflight = await app.request('/Flag', {
      method: 'OPTIONS',
      headers: { Origin: 'https://gp.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toBe('GET,POST,PUT');
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toBe(
      'Authorization,Content-Type,TraceID,FromASID,ToASID,If-Match,Prefer,X-Correlation-ID,Accept',
    );
    expect(preflight.headers.get('Access-Control-Max-Age')).toBe('600');
  });
});
