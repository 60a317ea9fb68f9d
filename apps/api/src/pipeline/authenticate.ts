/**
 * Bearer token verification (D-5).
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { requireVariable } from './require-variable.ts';
import { sendOutcome } from './respond.ts';

/**
 * Verifies the token `headParameters` found. A token that does not verify,
 * has expired or lacks a required claim → 401 with `WWW-Authenticate`.
 * Sets `user` for the steps after it.
 */
export function authenticate() {
  return createMiddleware<AppEnv>(async function authenticate(c, next) {
    const { bearerToken } = requireVariable(c, 'head');
    const result = await c.get('services').tokens.verify(bearerToken, c.get('now'));
    if (!result.ok) return sendOutcome(c, result.error, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    c.set('user', result.value);
    await next();
  });
}
