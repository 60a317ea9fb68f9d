import { type AccessTokenClaims, catalogue } from '@fgm-is/rules';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { at, stubServices } from '../test-support/stub-services.ts';
import { authenticate } from './authenticate.ts';
import { headParameters } from './head-parameters.ts';
import { requestContext } from './request-context.ts';
import { services } from './services.ts';

const claims: AccessTokenClaims = { sub: 'u-1', exp: 2_000_000_000, iss: 'i', aud: 'a', activities: ['B0370'] };
const seen: { token: string; now: string }[] = [];
const app = new Hono<AppEnv>()
  .use(requestContext({ clock: at('2026-11-21T10:00:00.000Z') }))
  .use(
    services(() =>
      stubServices({
        tokens: {
          verify: async (token, now) => {
            seen.push({ token, now: now.toISOString() });
            return token === 'good.token.sig' ? { ok: true, value: claims } : { ok: false, error: catalogue.INVALID_TOKEN };
          },
        },
      }),
    ),
  )
  .get('/', headParameters('search'), authenticate(), (c) => c.json(c.get('user') ?? null));

const headers = (token: string) => ({ TraceID: 't', FromASID: '200000000001', ToASID: '200000000000', Authorization: `Bearer ${token}` });

describe('[H-04] authenticate', () => {
  it('verifies the bearer token at the request time and passes the claims on', async () => {
    const res = await app.request('/', { headers: headers('good.token.sig') });
    expect(await res.json()).toEqual(claims);
    expect(seen.at(-1)).toEqual({ token: 'good.token.sig', now: '2026-11-21T10:00:00.000Z' });
  });

  it('answers a token that does not verify with 401 and a Bearer challenge', async () => {
    const res = await app.request('/', { headers: headers('bad.token.sig') });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
    expect(((await res.json()) as { issue: { code: string; diagnostics: string }[] }).issue[0]).toMatchObject({
      code: 'login',
      diagnostics: 'Invalid or expired access token',
    });
  });
});
