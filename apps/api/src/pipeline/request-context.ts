/**
 * The first middleware of every request: it owns the request id and the
 * clock, and stamps the headers every response carries (D-3, D-12): the one
 * place they are set. (Not `hono/secure-headers`: of its eleven headers D-12
 * asks for one; the rest are left to the platform in front of the Worker.)
 */
import { isTraceId } from '@fgm-is/rules';
import type { Context } from 'hono';
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

/** @internal Responses built by {@link stampedResponse}, which already carry their request's stamp. */
const stamped = new WeakSet<Response>();

/**
 * A response with `headers` and, over them, the headers every response to
 * this request carries (`stamp`, set by {@link requestContext}), all given
 * to the constructor at once. The responders build with it: in workerd each
 * header set on a finished response costs about 1 µs, so stamping six of
 * them afterwards cost more than the rest of a small response.
 */
export function stampedResponse<E extends AppEnv>(
  c: Context<E>,
  body: BodyInit | null,
  status: number,
  headers: Readonly<Record<string, string>>,
): Response {
  const response = new Response(body, { status, headers: { ...headers, ...(c as unknown as Context<AppEnv>).get('stamp') } });
  stamped.add(response);
  return response;
}

/**
 * Sets `requestId`, `now` and `stamp` before anything else runs: the stamp
 * is `X-Request-ID`, `Date`, `Cache-Control: no-store`,
 * `X-Content-Type-Options: nosniff` (D-12) and the client's `TraceID` and
 * `X-Correlation-ID` when well-formed. Every response carries it, errors
 * included: those built by {@link stampedResponse} from the start, any
 * other (Hono's own, a channel's raw response) stamped here once it is
 * built.
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
    const stamp: Record<string, string> = {
      'X-Request-ID': requestId,
      Date: now.toUTCString(),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    };
    const traceId = c.req.header('TraceID');
    if (isTraceId(traceId)) stamp.TraceID = traceId;
    const correlationId = c.req.header('X-Correlation-ID');
    if (isTraceId(correlationId)) stamp['X-Correlation-ID'] = correlationId;
    c.set('requestId', requestId);
    c.set('now', now);
    c.set('stamp', stamp);
    await next();
    if (stamped.has(c.res)) return;
    const headers = c.res.headers;
    for (const name in stamp) headers.set(name, stamp[name] as string);
  });
}
