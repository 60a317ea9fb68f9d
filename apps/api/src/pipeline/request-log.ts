/**
 * Structured request logs: one JSON line per request, with what an operator
 * needs and nothing about the patient.
 */
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env.ts';
import { log } from '../log/index.ts';
import { afterResponse } from './after-response.ts';

/**
 * After each request: method, the route template (`/Flag/:id`, never the
 * path itself, which can hold an id or an NHS number), status, duration,
 * request id and the Spine code of an error response. Never a query, a
 * header value or a body.
 */
export function requestLog(options: { now?: () => number } = {}) {
  const now = options.now ?? (() => performance.now());
  return createMiddleware<AppEnv>(async function requestLog(c, next) {
    const started = now();
    await next();
    const fields = {
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      durationMs: Math.round((now() - started) * 10) / 10,
      requestId: c.get('requestId'),
      outcome: c.get('answered')?.code ?? null,
    };
    // Handed to waitUntil with the audit record: the response does not wait for them.
    await afterResponse(c, async () => log('info', 'request', fields));
  });
}
