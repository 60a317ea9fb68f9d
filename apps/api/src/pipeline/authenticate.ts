/**
 * Bearer token verification (D-5).
 */
import type { AccessTokenClaims } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { EnvWith } from '../app-env.ts';
import type { HeadVariables } from './head-parameters.ts';
import { sendOutcome } from './respond.ts';

/** What {@link authenticate} sets: the verified token's claims (D-5). */
export interface UserVariables {
  user: AccessTokenClaims;
}

/**
 * Verifies the token `headParameters` found. A token that does not verify,
 * has expired or lacks a required claim → 401 with `WWW-Authenticate`.
 * Sets `user` for the steps after it.
 */
export function authenticate() {
  return createMiddleware<EnvWith<HeadVariables & UserVariables>>(async function authenticate(c, next) {
    const result = await c.get('services').tokens.verify(c.get('head').bearerToken, c.get('now'));
    if (!result.ok) return sendOutcome(c, result.error, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    c.set('user', result.value);
    await next();
  });
}
