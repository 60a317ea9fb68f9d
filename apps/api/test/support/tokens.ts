/**
 * Sandbox tokens for tests, signed with the key the Worker's own
 * configuration verifies with.
 */
import { env } from 'cloudflare:workers';
import { SignJWT } from 'jose';
import { readConfig } from '../../src/config/index.ts';

/** The HS256 secret the sandbox configuration verifies tokens with. */
export const SANDBOX_SECRET = ((keys) => (keys.kind === 'secret' ? keys.secret : ''))(readConfig(env).auth.keys);

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
export async function signToken(claims: Record<string, unknown> = sandboxClaims(), secret: string = SANDBOX_SECRET): Promise<string> {
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
