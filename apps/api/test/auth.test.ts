import { env } from 'cloudflare:workers';
import type { Interaction } from '@fgm-is/rules';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier } from '../src/auth/token-verifier.ts';
import { SEEDED_FLAG_ID, add, addBody, call, fgmHeaders, read, remove, removeBody, search } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';
import { appWith } from './support/services.ts';
import { b64url, sandboxClaims, signToken, tokenWith } from './support/tokens.ts';

useSandbox();
afterEach(() => vi.restoreAllMocks());

type Headers = Record<string, string | undefined>;
const INTERACTIONS: Record<Interaction, (h: Headers) => Promise<Response>> = {
  search: (h) => search('9000000009', h),
  read: (h) => read(SEEDED_FLAG_ID, h),
  add: (h) => add(addBody('9000000017'), h),
  remove: (h) => remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID), h),
};
const SUCCESS: Record<Interaction, number> = { search: 200, read: 200, add: 201, remove: 200 };

async function diagnostics(response: Response): Promise<string | undefined> {
  return ((await response.json()) as { issue?: { diagnostics: string }[] }).issue?.[0]?.diagnostics;
}

describe('[H-04] ASID authorisation (D-4): each sandbox ASID × each interaction', () => {
  const matrix: [string, Interaction[]][] = [
    ['200000000001', ['search', 'read', 'add', 'remove']],
    ['200000000002', ['search', 'read']],
    ['200000000003', []],
    ['200000000099', []],
  ];
  for (const [asid, allowed] of matrix) {
    for (const interaction of Object.keys(INTERACTIONS) as Interaction[]) {
      const ok = allowed.includes(interaction);
      it(`${asid} ${interaction} → ${ok ? SUCCESS[interaction] : 403}`, async () => {
        const response = await INTERACTIONS[interaction]({ FromASID: asid });
        expect(response.status).toBe(ok ? SUCCESS[interaction] : 403);
        if (!ok) expect(await diagnostics(response)).toBe("The sender or receiver's ASID is not authorised for this interaction");
      });
    }
  }

  it('a ToASID other than this service is 403 on every interaction', async () => {
    for (const run of Object.values(INTERACTIONS)) expect((await run({ ToASID: '200000000001' })).status).toBe(403);
  });
});

describe('[H-04] user RBAC (D-5): B0370 vs B0999', () => {
  for (const interaction of Object.keys(INTERACTIONS) as Interaction[]) {
    it(`B0370 ${interaction}`, async () => {
      const response = await INTERACTIONS[interaction]({ Authorization: `Bearer ${await tokenWith(['B0370'])}` });
      const allowed = interaction === 'search' || interaction === 'read';
      expect(response.status).toBe(allowed ? SUCCESS[interaction] : 403);
      if (!allowed) expect(await diagnostics(response)).toBe('The user is not authorised for this interaction');
    });
    it(`B0999 ${interaction}`, async () => {
      expect((await INTERACTIONS[interaction]({ Authorization: `Bearer ${await tokenWith(['B0999'])}` })).status).toBe(SUCCESS[interaction]);
    });
  }
  it('no activities, or unknown ones, may do nothing', async () => {
    for (const activities of [[], ['B9999'], ['__proto__', 'constructor']]) {
      expect((await search('9000000009', { Authorization: `Bearer ${await tokenWith(activities)}` })).status).toBe(403);
    }
  });
});

describe('[H-04] authentication (D-5): bad tokens are 401 on every interaction', () => {
  const now = Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<string>][] = [
    ['expired', () => signToken(sandboxClaims({ exp: now - 1 }))],
    ['signed with another secret (forged)', () => signToken(sandboxClaims(), 'an-attacker-secret-that-is-long-enough-1234')],
    ['wrong issuer', () => signToken(sandboxClaims({ iss: 'https://evil.example' }))],
    ['wrong audience', () => signToken(sandboxClaims({ aud: 'another-api' }))],
    ['without sub', () => signToken(sandboxClaims({ sub: undefined }))],
    ['without exp', () => signToken(sandboxClaims({ exp: undefined }))],
    ['without activities', () => signToken(sandboxClaims({ activities: undefined }))],
    ['activities not a list', () => signToken(sandboxClaims({ activities: 'B0999' }))],
    ['not yet valid (nbf in the future)', () => signToken(sandboxClaims({ nbf: now + 3600 }))],
    ['alg none with a dummy signature', async () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(sandboxClaims())}.c2ln`],
    [
      'signature of another token',
      async () => {
        const [header, payload] = (await signToken(sandboxClaims({ activities: ['B0370'] }))).split('.');
        const signature = (await signToken()).split('.')[2];
        return `${header}.${payload}.${signature}`;
      },
    ],
    [
      'tampered payload',
      async () => {
        const [header, , signature] = (await tokenWith(['B0370'])).split('.');
        return `${header}.${b64url(sandboxClaims({ activities: ['B0999'] }))}.${signature}`;
      },
    ],
    ['garbage in the JWS shape', async () => 'aaaa.bbbb.cccc'],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const token = await make();
      for (const run of Object.values(INTERACTIONS)) {
        const response = await run({ Authorization: `Bearer ${token}` });
        expect(response.status).toBe(401);
        expect(response.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
        const body = (await response.json()) as { issue: { code: string; diagnostics: string; details: { coding: { code: string }[] } }[] };
        expect(body.issue[0]).toMatchObject({
          code: 'login',
          diagnostics: 'Invalid or expired access token',
          details: { coding: [{ code: 'ACCESS_DENIED' }] },
        });
        expect(JSON.stringify(body)).not.toContain(token);
      }
    });
  }

  it('[D-16] an unsecured token (alg none, empty signature) is well shaped and refused with 401', async () => {
    const response = await search('9000000009', { Authorization: `Bearer ${b64url({ alg: 'none' })}.${b64url(sandboxClaims())}.` });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics).toBe('Invalid or expired access token');
  });
});

describe('[H-04] check order (D-5): route → 400 → 401 → 403 ASID → 403 user → 406 → 413 → rules', () => {
  it('each failure wins over every later one', async () => {
    const expired = `Bearer ${await signToken(sandboxClaims({ exp: 1 }))}`;
    const b0370 = `Bearer ${await tokenWith(['B0370'])}`;
    const all = { TraceID: undefined, Authorization: expired, FromASID: '200000000003', Accept: 'text/html' };
    expect((await call('/Flagz', { headers: await fgmHeaders(all) })).status).toBe(404);
    expect((await add({ resourceType: 'Patient' }, all)).status).toBe(400);
    expect((await add({ resourceType: 'Patient' }, { ...all, TraceID: 't' })).status).toBe(401);
    const asid = await add({ resourceType: 'Patient' }, { ...all, TraceID: 't', Authorization: b0370 });
    expect(await diagnostics(asid)).toBe("The sender or receiver's ASID is not authorised for this interaction");
    const user = await add({ resourceType: 'Patient' }, { ...all, TraceID: 't', Authorization: b0370, FromASID: '200000000001' });
    expect(await diagnostics(user)).toBe('The user is not authorised for this interaction');
    expect((await add({ resourceType: 'Patient' }, { Accept: 'text/html' })).status).toBe(406);
    const huge = await call('/Flag', {
      method: 'POST',
      headers: await fgmHeaders(),
      body: JSON.stringify({ resourceType: 'Patient', x: 'y'.repeat(70000) }),
    });
    expect(huge.status).toBe(413);
    expect(await diagnostics(await add({ resourceType: 'Patient' }))).toBe('Invalid request body');
  });
});

describe('[H-04] JWKS verification (RS256/ES256) when AUTH_JWKS_URL is configured', () => {
  async function jwksSetup() {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const ec = await generateKeyPair('ES256', { extractable: true });
    const jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
    let state: 'up' | 'down' | 'unreachable' | 'not a key set' = 'up';
    const fakeFetch = (async () => {
      if (state === 'unreachable') throw new TypeError('fetch failed: connection refused'); // a network error, not a jose error
      if (state === 'not a key set') return new Response('<html>maintenance</html>', { headers: { 'Content-Type': 'text/html' } });
      return state === 'up' ? Response.json(jwks) : new Response('down', { status: 503 });
    }) as typeof fetch;
    const tokens = createTokenVerifier({
      keys: { kind: 'jwks', url: 'https://auth.example/jwks.json', fetch: fakeFetch },
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
    });
    const request = appWith({ tokens });
    const sign = (alg: 'RS256' | 'ES256', kid: string, key: CryptoKey) => new SignJWT(sandboxClaims()).setProtectedHeader({ alg, kid }).sign(key);
    return { rsa, ec, request, sign, setUp: (up: boolean) => (state = up ? 'up' : 'down'), setState: (next: typeof state) => (state = next) };
  }

  it('accepts RS256 and ES256 tokens signed by the published keys', async () => {
    const { rsa, ec, request, sign } = await jwksSetup();
    for (const token of [await sign('RS256', 'rsa-1', rsa.privateKey), await sign('ES256', 'ec-1', ec.privateKey)]) {
      const response = await request(`/Flag/${SEEDED_FLAG_ID}`, { headers: await fgmHeaders({ Authorization: `Bearer ${token}` }) });
      expect(response.status).toBe(200);
    }
  });

  it('refuses HS256 (including one keyed with the RSA public key: algorithm confusion) and sandbox tokens', async () => {
    const { rsa, request } = await jwksSetup();
    const pem = await exportSPKI(rsa.publicKey);
    const confused = await new SignJWT(sandboxClaims()).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(new TextEncoder().encode(pem));
    for (const token of [confused, await signToken()]) {
      const response = await request(`/Flag/${SEEDED_FLAG_ID}`, { headers: await fgmHeaders({ Authorization: `Bearer ${token}` }) });
      expect(response.status).toBe(401);
    }
  });

  it('a token signed by an unpublished key is 401; an unreachable JWKS is 503', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { request, sign } = await jwksSetup();
    const stranger = await generateKeyPair('RS256');
    const token = await sign('RS256', 'rsa-1', stranger.privateKey);
    expect((await request(`/Flag/${SEEDED_FLAG_ID}`, { headers: await fgmHeaders({ Authorization: `Bearer ${token}` }) })).status).toBe(401);
    const fresh = await jwksSetup();
    fresh.setUp(false);
    const good = await fresh.sign('RS256', 'rsa-1', fresh.rsa.privateKey);
    const response = await fresh.request(`/Flag/${SEEDED_FLAG_ID}`, { headers: await fgmHeaders({ Authorization: `Bearer ${good}` }) });
    expect(response.status).toBe(503);
    expect(JSON.parse(String(logged.mock.calls[0]?.[0]))).toMatchObject({ event: 'dependency_unavailable', dependency: 'jwks' });
    fresh.setUp(true);
    const retry = await fresh.request(`/Flag/${SEEDED_FLAG_ID}`, { headers: await fgmHeaders({ Authorization: `Bearer ${good}` }) });
    expect(retry.status).toBe(200);
  });

  it.each(['unreachable', 'not a key set'] as const)('a key set that is %s is 503 naming jwks, never 401 or 500', async (state) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const setup = await jwksSetup();
    setup.setState(state);
    const token = await setup.sign('RS256', 'rsa-1', setup.rsa.privateKey);
    const response = await setup.request(`/Flag/${SEEDED_FLAG_ID}`, { headers: await fgmHeaders({ Authorization: `Bearer ${token}` }) });
    expect(response.status).toBe(503);
    expect(JSON.parse(String(logged.mock.calls[0]?.[0]))).toMatchObject({ event: 'dependency_unavailable', dependency: 'jwks' });
  });
});
