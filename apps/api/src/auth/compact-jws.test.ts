import { compactVerify, decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signCompactJws } from './compact-jws.ts';

const SECRET = 'compact-jws-unit-test-secret-not-used-anywhere-else';
const encoder = new TextEncoder();

const hmacSigner = async (secret: string) => {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return (input: Uint8Array<ArrayBuffer>) => crypto.subtle.sign('HMAC', key, input);
};

describe('signCompactJws', () => {
  it('signs an HS256 JWT that jose verifies, header and claims as given', async () => {
    const claims = { sub: 'user-1', iss: 'issuer', aud: 'audience', iat: 1_800_000_000, exp: 1_800_000_600, activities: ['B0380'] };
    const token = await signCompactJws({ alg: 'HS256', typ: 'JWT' }, claims, await hmacSigner(SECRET));
    const { payload, protectedHeader } = await jwtVerify(token, encoder.encode(SECRET), {
      currentDate: new Date(1_800_000_100_000),
      issuer: 'issuer',
      audience: 'audience',
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual(claims);
  });

  it('signs an RS512 JWS with a key id that jose verifies with the public key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS512', { modulusLength: 2048, extractable: true });
    const pem = await exportPKCS8(privateKey);
    const der = Uint8Array.from(atob(pem.replace(/-----(BEGIN|END) PRIVATE KEY-----|\s+/g, '')), (c) => c.charCodeAt(0));
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' } as const;
    const key = await crypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
    const token = await signCompactJws({ alg: 'RS512', typ: 'JWT', kid: 'key-1' }, { iss: 'app' }, (input) =>
      crypto.subtle.sign(algorithm, key, input),
    );
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS512', typ: 'JWT', kid: 'key-1' });
    const { payload } = await compactVerify(token, publicKey);
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ iss: 'app' });
  });

  it('writes unpadded base64url (no +, / or =) and UTF-8 claims, which round-trip', async () => {
    // Claims whose standard base64 holds + and / and ends in == (eyJuYW1lIjoiWm/DqyB+fn4/…fQ==).
    const claims = { name: 'Zoë ~~~???>>>', n: 1 };
    const token = await signCompactJws({ alg: 'HS256' }, claims, await hmacSigner(SECRET));
    const parts = token.split('.');
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    const { payload } = await jwtVerify(token, encoder.encode(SECRET));
    expect(payload).toEqual(claims);
  });

  it('signs exactly the ASCII signing input header.claims', async () => {
    let signed = '';
    const token = await signCompactJws({ alg: 'HS256' }, { a: 1 }, async (input) => {
      signed = new TextDecoder().decode(input);
      return new Uint8Array([251, 255, 191]).buffer;
    });
    const [header, claims, signature] = token.split('.');
    expect(signed).toBe(`${header}.${claims}`);
    expect(signature).toBe('-_-_');
  });
});
