import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { describe, expect, it } from 'vitest';
import type { AppEnv, EnvWith } from '../app-env.ts';
import { stubServices } from '../test-support/stub-services.ts';
import type { UserVariables } from './authenticate.ts';
import { authorise } from './authorise.ts';
import type { HeadVariables } from './head-parameters.ts';
import { services } from './services.ts';

/** Stands in for headParameters and authenticate: the ASIDs and activities come from the query. */
const given = createMiddleware<EnvWith<HeadVariables & UserVariables>>(async (c, next) => {
  c.set('head', { traceId: 't', fromAsid: c.req.query('from') ?? '', toAsid: c.req.query('to') ?? '', bearerToken: 'a.b.c' });
  c.set('user', { sub: 'u', exp: 1, iss: 'i', aud: 'a', activities: (c.req.query('activities') ?? '').split(',') });
  await next();
});
const app = new Hono<AppEnv>()
  .use(services(() => stubServices()))
  .get('/search', given, authorise('search'), (c) => c.text('allowed'))
  .get('/add', given, authorise('add'), (c) => c.text('allowed'));

const diagnostics = async (res: Response) => ((await res.json()) as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics;

describe('[H-04] authorise', () => {
  it('lets an allowed system and user through', async () => {
    const res = await app.request('/add?from=200000000001&to=200000000000&activities=B0999');
    expect(await res.text()).toBe('allowed');
  });

  it.each([
    ['an unknown FromASID', '/search?from=200000000009&to=200000000000&activities=B0999'],
    ['a ToASID that is not this service', '/search?from=200000000001&to=200000000001&activities=B0999'],
  ])('refuses %s with the ASID row (403)', async (_name, path) => {
    const res = await app.request(path);
    expect(res.status).toBe(403);
    expect(await diagnostics(res)).toBe("The sender or receiver's ASID is not authorised for this interaction");
  });

  it('checks the system before the user, then refuses a user whose activities do not grant the interaction', async () => {
    const res = await app.request('/add?from=200000000001&to=200000000000&activities=B0370');
    expect(res.status).toBe(403);
    expect(await diagnostics(res)).toBe('The user is not authorised for this interaction');
  });
});
