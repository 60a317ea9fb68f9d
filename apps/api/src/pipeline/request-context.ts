/**
 * The first middleware of every request: it owns the request id and the
 * clock, and stamps the headers every response carries (D-3, D-12): the one
 * place they are set. (Not `hono/secure-headers`: of its eleven headers D-12
 * asks for one; the rest are left to the platform in front of the Worker.)
 */
import { isTraceId } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';

/** Options of {@link requestContext}. */
export interface RequestContextOptions {
  /** The clock; `now` is read once per request (tests inject a fixed one). */
  readonly clock?: () => Date;
  /** Generates request ids (tests inject predictable ones). */
  readonly newId?: () => string;
}

/** A UUID in its canonical textual form (any version), as D-21 accepts from clients. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Sets `requestId` and `now` before anything else runs, and after the
 * response is built (errors included) stamps `X-Request-ID`, `Date`,
 * `Cache-Control: no-store`, `X-Content-Type-Options: nosniff` (D-12) and the client's `TraceID` and
 * `X-Correlation-ID` when well-formed.
 *
 * The request id is the client's `X-Request-ID` when that is a UUID (D-21),
 * else a fresh one. Not `hono/request-id`: that helper mirrors any client id
 * matching `[\w-=]{1,255}`, which D-21 does not allow.
 */
export function requestContext(options: RequestContextOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  const newId = options.newId ?? (() => crypto.randomUUID());
  return createMiddleware<AppEnv>(async function requestContext(c, next) {
    const offered = c.req.header('X-Request-ID');
    const requestId = offered !== undefined && UUID.test(offered) ? offered : newId();
    const now = clock();
    c.set('requestId', requestId);
    c.set('now', now);
    await next();
    const headers = c.res.headers;
    headers.set('X-Request-ID', requestId);
    headers.set('Date', now.toUTCString());
    headers.set('Cache-Control', 'no-store');
    headers.set('X-Content-Type-Options', 'nosniff');
    for (const name of ['TraceID', 'X-Correlation-ID']) {
      const value = c.req.header(name);
      if (isTraceId(value)) headers.set(name, value);
    }
  });
}
