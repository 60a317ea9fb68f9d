/**
 * Resolves the request's {@link Services} from the Worker's env: the seam
 * where tests swap stores, directory, verifier and ids.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import type { Services } from '../compose.ts';

/** Sets `services` for the handlers; a configuration error thrown here is answered as 500. */
export function services(resolve: (env: Env) => Services) {
  return createMiddleware<AppEnv>(async function services(c, next) {
    c.set('services', resolve(c.env));
    await next();
  });
}
