import { env } from 'cloudflare:test';
import { SignJWT } from 'jose';

/** Claims of a good sandbox token; tests override what they probe. */
export function sandboxClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: '555555555555',
    iss: env.AUTH_ISSUER,
    aud: env.AUTH_AUDIENCE,
    iat: now,
    exp: now + 600,
    activities: ['B0999'],
    role: 'R8000',
    org: 'A12345',
    ...overrides,
  };
}

/** Signs claims as an HS256 JWT with the sandbox secret (or another key). */
export async function signToken(claims: Record<string, unknown> = sandboxClaims(), secret: string = env.AUTH_JWT_SECRET ?? ''): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

/** A token whose `activities` are exactly these. */
export function tokenWith(activities: string[]): Promise<string> {
  return signToken(sandboxClaims({ activities }));
}

/** base64url of a JSON value, for hand-made tokens. */
export function b64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
