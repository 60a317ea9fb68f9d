import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SEARCH_PATH, fgmHeaders } from '../../../test/support/http.ts';
import { useSandbox } from '../../../test/support/sandbox.ts';
import { appWith } from '../../../test/support/services.ts';
import { readConfig } from '../../config/index.ts';

useSandbox();

describe('corsWhenConfigured', () => {
  it('sends no CORS headers by default, and a preflight is the ordinary 405', async () => {
    const request = appWith({});
    const headers = await fgmHeaders({ Origin: 'https://evil.example' });
    const response = await request(`${SEARCH_PATH}9000000009`, { headers });
    expect(response.status).toBe(200);
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const preflight = await request('/Flag', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(405);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('with configured origins, exactly those get CORS headers (never *, never credentials)', async () => {
    const request = appWith({ corsOrigins: ['https://gp.example'] });
    const allowed = await request(`${SEARCH_PATH}9000000009`, { headers: await fgmHeaders({ Origin: 'https://gp.example' }) });
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://gp.example');
    expect(allowed.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(allowed.headers.get('Access-Control-Expose-Headers')).toContain('X-Request-ID');
    const other = await request(`${SEARCH_PATH}9000000009`, { headers: await fgmHeaders({ Origin: 'https://evil.example' }) });
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const preflight = await request('/Flag', {
      method: 'OPTIONS',
      headers: { Origin: 'https://gp.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('FromASID');
  });

  it('configuration accepts only https origins', () => {
    expect(readConfig({ ...env, CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(() => readConfig({ ...env, CORS_ALLOWED_ORIGINS: '*' })).toThrow();
    expect(() => readConfig({ ...env, CORS_ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow();
  });
});
