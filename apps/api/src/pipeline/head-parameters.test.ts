import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { stubServices } from '../test-support/stub-services.ts';
import { headParameters } from './head-parameters.ts';
import { services } from './services.ts';

const app = new Hono<AppEnv>()
  .use(services(() => stubServices()))
  .get('/s', headParameters('search'), (c) => c.json(c.get('head')))
  .post('/a', headParameters('add'), (c) => c.json(c.get('head')));

const good = { TraceID: 't-1', FromASID: '200000000001', ToASID: '200000000000', Authorization: 'Bearer a.b.c' };

describe('headParameters', () => {
  it('passes the parsed head parameters on', async () => {
    const res = await app.request('/s', { headers: good });
    expect(await res.json()).toEqual({ traceId: 't-1', fromAsid: '200000000001', toAsid: '200000000000', bearerToken: 'a.b.c' });
  });

  it('answers S2 / A8 as FHIR JSON', async () => {
    const search = await app.request('/s', { headers: { ...good, FromASID: '1' } });
    expect(search.status).toBe(400);
    expect(search.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
    expect(((await search.json()) as { issue: { details: { coding: { code: string }[] } }[] }).issue[0]?.details.coding[0]?.code).toBe(
      'PRECONDITION_FAILED',
    );
    const add = await app.request('/a', { method: 'POST', headers: good });
    expect(add.status).toBe(400);
  });
});
