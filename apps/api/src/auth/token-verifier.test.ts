import { catalogue } from '@fgm-is/rules';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier } from './token-verifier.ts';

const SECRET = 'token-verifier-unit-test-secret-not-used-anywhere-else';
const T0 = new Date('2026-11-22T10:00:00.000Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const later = (ms: number) => new Date(T0.getTime() + ms);

const sign = (claims: Record<string, unknown> = {}, secret = SECRET) =>
  new SignJWT({ sub: 'user-1', iss: 'issuer', aud: 'audience', iat: seconds(T0), exp: seconds(T0) + 600, activities: ['B0380'], ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));

const verifier = () => createTokenVerifier({ keys: { kind: 'secret', secret: SECRET }, issuer: 'issuer', audience: 'audience' });

/** Counts signature checks (jose verifies HS256 through WebCrypto). */
const signatureChecks = () => vi.spyOn(crypto.subtle, 'verify');

afterEach(() => vi.restoreAllMocks());

describe('token verifier: verified tokens remembered per isolate', () => {
  it('checks a token’s signature once, then answers the same claims from memory', async () => {
    const checks = signatureChecks();
    const tokens = verifier();
    const token = await sign();
    const first = await tokens.verify(token, T0);
    const second = await tokens.verify(token, later(30_000));
    expect(first).toMatchObject({ ok: true, value: { sub: 'user-1' } });
    expect(second).toEqual(first);
    expect(checks).toHaveBeenCalledTimes(1);
  });

  it('still refuses a remembered token once it has expired (exp is checked on every use)', async () => {
    const tokens = verifier();
    const token = await sign({ exp: seconds(T0) + 20 });
    expect((await tokens.verify(token, T0)).ok).toBe(true);
    expect(await tokens.verify(token, later(20_000))).toEqual({ ok: false, error: catalogue.INVALID_TOKEN });
  });

  it('checks the signature again after a minute, and when the clock is behind the first check', async () => {
    const checks = signatureChecks();
    const tokens = verifier();
    const token = await sign();
    await tokens.verify(token, T0);
    await tokens.verify(token, later(60_000));
    await tokens.verify(token, later(-1));
    expect(checks).toHaveBeenCalledTimes(3);
  });

  it('never lets a remembered token vouch for another: a changed signature is checked, and refused', async () => {
    const tokens = verifier();
    const token = await sign();
    await tokens.verify(token, T0);
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${(await sign({}, 'another-secret-another-secret-another-secret')).split('.')[2]}`;
    expect(await tokens.verify(forged, T0)).toEqual({ ok: false, error: catalogue.INVALID_TOKEN });
  });

  it('does not remember a refused token', async () => {
    const checks = signatureChecks();
    const tokens = verifier();
    const token = await sign({ aud: 'someone-else' });
    expect((await tokens.verify(token, T0)).ok).toBe(false);
    expect((await tokens.verify(token, T0)).ok).toBe(false);
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('remembers at most 256 tokens, forgetting the oldest first', async () => {
    const tokens = verifier();
    const all = await Promise.all(Array.from({ length: 257 }, (_, i) => sign({ sub: `user-${i}` })));
    for (const token of all) await tokens.verify(token, T0);
    const checks = signatureChecks();
    await tokens.verify(all[256] as string, T0);
    expect(checks).toHaveBeenCalledTimes(0);
    await tokens.verify(all[0] as string, T0);
    expect(checks).toHaveBeenCalledTimes(1);
  });
});
