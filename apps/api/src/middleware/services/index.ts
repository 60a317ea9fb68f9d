import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import type { Services } from '../../services.ts';

/**
 * Resolves the request's {@link Services} from the Worker env (the seam
 * where tests swap stores, directory, clock and ids), and stamps the request
 * with its arrival time and X-Request-ID from them.
 */
export function services(resolve: (env: Env) => Services) {
  return createMiddleware<AppEnv>(async function services(c, next) {
    const resolved = resolve(c.env);
    c.set('services', resolved);
    c.set('now', resolved.clock());
    c.set('requestId', resolved.newId());
    await next();
  });
}

/**
 * The request's X-Request-ID, created if the request failed before
 * {@link services} ran (for example on a configuration error).
 */
export function ensureRequestId(c: Context<AppEnv>): string {
  let id = c.get('requestId');
  if (!id) {
    id = crypto.randomUUID();
    c.set('requestId', id);
  }
  return id;
}
