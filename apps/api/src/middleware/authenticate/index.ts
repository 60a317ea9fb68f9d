import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import { sendOutcome } from '../../http/respond.ts';

/**
 * Verifies the bearer token (D-5). A token that does not verify, has
 * expired or lacks a required claim → 401 with `WWW-Authenticate`.
 */
export function authenticate() {
  return createMiddleware<AppEnv>(async function authenticate(c, next) {
    const result = await c.get('services').tokens.verify(c.get('head').bearerToken, c.get('now'));
    if (!result.ok) return sendOutcome(c, result.error, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    c.set('user', result.value);
    await next();
  });
}
