import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../ports/errors.ts';
import { createPdsStandIn } from '../test-support/pds-stand-in.ts';
import { platformTokenSource } from './platform-token.ts';

const TOKEN_URL = 'https://int.api.service.nhs.uk/oauth2/token';
const keys = await generateKeyPair('RS512', { extractable: true, modulusLength: 2048 });
/** A 1024-bit RSA key: RS512 needs 2048 bits or more (RFC 7518 §3.3). */
const shortPair = (await crypto.subtle.generateKey(
  { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-512' },
  true,
  ['sign', 'verify'],
)) as CryptoKeyPair;
const shortKeyPem = await exportPKCS8(shortPair.privateKey);
const privateKeyPem = await exportPKCS8(keys.privateKey);
const publicJwk = await exportJWK(keys.publicKey);

/** The platform stand-in, its fetch, and a token source signing for it. */
function setUp(overrides: { apiKey?: string; keyId?: string; pem?: string; now?: () => number; lifetime?: number } = {}) {
  const stand = createPdsStandIn({
    tokenUrl: TOKEN_URL,
    apiKey: 'app-key',
    keyId: 'key-1',
    publicJwk,
    patients: {},
    ...(overrides.lifetime === undefined ? {} : { tokenLifetimeSeconds: overrides.lifetime }),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const requests: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    return stand.handle(request);
  }) as typeof globalThis.fetch;
  const source = platformTokenSource({
    tokenUrl: TOKEN_URL,
    apiKey: overrides.apiKey ?? 'app-key',
    keyId: overrides.keyId ?? 'key-1',
    privateKeyPem: overrides.pem ?? privateKeyPem,
    fetch,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  return { stand, source, requests };
}

describe('NHS API platform token (signed JWT client credentials)', () => {
  it('signs an assertion the platform accepts: RS512, kid, iss = sub = API key, aud = token URL, fresh jti, exp ≤ 5 min', async () => {
    const { stand, source, requests } = setUp();
    expect(await source.token()).toMatch(/^stand-in-/);
    expect(stand.stats).toMatchObject({ tokensIssued: 1, tokensRefused: 0 });
    const form = new URLSearchParams(await requests[0]?.text());
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const [header, claims] = (form.get('client_assertion') ?? '')
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))));
    expect(header).toEqual({ alg: 'RS512', typ: 'JWT', kid: 'key-1' });
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iss', 'jti', 'sub']);
    expect(claims.exp - Date.now() / 1000).toBeLessThanOrEqual(300);
  });

  it('reuses one token for many lookups, also when they ask at the same time', async () => {
    const { stand, source } = setUp();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => source.token()));
    expect(new Set(tokens).size).toBe(1);
    expect(await source.token()).toBe(tokens[0]);
    expect(stand.stats.tokensIssued).toBe(1);
  });

  it('asks again a minute before the token expires, with a fresh jti', async () => {
    let clock = Date.now();
    const { stand, source } = setUp({ now: () => clock });
    const first = await source.token();
    clock += (599 - 61) * 1000;
    expect(await source.token()).toBe(first);
    clock += 2000;
    expect(await source.token()).not.toBe(first);
    expect(stand.stats).toMatchObject({ tokensIssued: 2, tokensRefused: 0 });
  });

  it('renew drops the token PDS refused, and only that one', async () => {
    const { stand, source } = setUp();
    const first = await source.token();
    source.renew('some-older-token');
    expect(await source.token()).toBe(first);
    source.renew(first);
    expect(await source.token()).not.toBe(first);
    expect(stand.stats.tokensIssued).toBe(2);
  });

  it.each([
    ['another API key (iss/sub)', { apiKey: 'not-registered' }, 'assertion does not verify'],
    ['another kid', { keyId: 'key-2' }, 'kid is not the registered key'],
  ])('[H-07] an assertion the platform refuses (%s) is DependencyUnavailableError (503)', async (_name, overrides, why) => {
    const { stand, source } = setUp(overrides);
    await expect(source.token()).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(stand.stats.lastRefusal).toContain(why);
  });

  it('[H-07] a key signed by another private key does not verify', async () => {
    const other = await generateKeyPair('RS512', { extractable: true, modulusLength: 2048 });
    const { stand, source } = setUp({ pem: await exportPKCS8(other.privateKey) });
    await expect(source.token()).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(stand.stats.lastRefusal).toContain('signature');
  });

  it.each([
    ['a private key that is not a key', { pem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }],
    ['an RSA key shorter than 2048 bits', { pem: shortKeyPem }],
  ])('[H-07] %s is DependencyUnavailableError, and nothing is sent', async (_name, overrides) => {
    const { source, requests } = setUp(overrides);
    await expect(source.token()).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(requests).toHaveLength(0);
  });

  it.each([
    ['a 500', () => new Response('boom', { status: 500 })],
    ['an answer without access_token', () => Response.json({ expires_in: '599' })],
    ['an expires_in that is not a number', () => Response.json({ access_token: 't', expires_in: 'soon' })],
    ['a body that is not JSON', () => new Response('<html>')],
  ])('[H-07] %s from the token endpoint is DependencyUnavailableError', async (_name, answer) => {
    const source = platformTokenSource({
      tokenUrl: TOKEN_URL,
      apiKey: 'k',
      keyId: 'i',
      privateKeyPem,
      fetch: (async () => answer()) as typeof fetch,
    });
    await expect(source.token()).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('[H-07] a token endpoint that does not answer is given up on (bounded: a clinician is waiting)', async () => {
    const hang = (async (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    const source = platformTokenSource({ tokenUrl: TOKEN_URL, apiKey: 'k', keyId: 'i', privateKeyPem, fetch: hang, timeoutMs: 20 });
    await expect(source.token()).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
