import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { stubServices } from '../test-support/stub-services.ts';
import { methodNotAllowed } from './method-not-allowed.ts';
import { services } from './services.ts';

describe('methodNotAllowed', () => {
  it('405 with Allow (HEAD added where GET is allowed)', async () => {
    const app = new Hono<AppEnv>().use(services(() => stubServices())).all('/x', methodNotAllowed(['GET', 'PUT']));
    const res = await app.request('/x', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('GET, PUT, HEAD');
    expect(res.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
  });
});
