import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';

/** Request headers a browser client of FGM-IS needs to send. */
const ALLOW_HEADERS = ['Authorization', 'Content-Type', 'TraceID', 'FromASID', 'ToASID', 'If-Match', 'Prefer', 'X-Correlation-ID', 'Accept'];
/** Response headers a browser client may read. */
const EXPOSE_HEADERS = ['ETag', 'Last-Modified', 'Location', 'TraceID', 'X-Request-ID', 'X-Correlation-ID'];

/**
 * CORS only where configured (`CORS_ALLOWED_ORIGINS`): with no origins the
 * API sends no CORS headers at all, so browsers on other sites cannot read
 * patient data, and a preflight gets the ordinary 405. With origins, exactly
 * those get CORS headers, never `*` and never credentials.
 */
export function corsWhenConfigured() {
  let handler: MiddlewareHandler<AppEnv> | undefined;
  return createMiddleware<AppEnv>(async function corsWhenConfigured(c, next) {
    const origins = c.get('services').corsOrigins;
    if (origins.length === 0) return next();
    handler ??= cors({
      origin: (origin, ctx: Context<AppEnv>) => (ctx.get('services').corsOrigins.includes(origin) ? origin : null),
      allowMethods: ['GET', 'POST', 'PUT'],
      allowHeaders: ALLOW_HEADERS,
      exposeHeaders: EXPOSE_HEADERS,
      maxAge: 600,
    });
    return handler(c, next);
  });
}
