import { isTraceId } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import { ensureRequestId } from '../services/index.ts';

/**
 * Headers every response carries (D-3, D-12): a fresh `X-Request-ID`, `Date`,
 * `Cache-Control: no-store`, `X-Content-Type-Options: nosniff`, and the
 * client's `TraceID` and `X-Correlation-ID` echoed back when well-formed.
 * Runs first, so it also stamps error responses, even those raised before
 * the services were resolved.
 */
export function fhirResponse() {
  return createMiddleware<AppEnv>(async function fhirResponse(c, next) {
    await next();
    const headers = c.res.headers;
    headers.set('X-Request-ID', ensureRequestId(c));
    headers.set('Date', (c.get('now') ?? new Date()).toUTCString());
    headers.set('Cache-Control', 'no-store');
    headers.set('X-Content-Type-Options', 'nosniff');
    for (const name of ['TraceID', 'X-Correlation-ID']) {
      const value = c.req.header(name);
      if (isTraceId(value)) headers.set(name, value);
    }
  });
}
