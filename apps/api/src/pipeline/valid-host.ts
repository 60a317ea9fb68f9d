/**
 * The request's host (RFC 9112 §3.2, RFC 3986 §3.2.2–3.2.3): a request whose
 * `Host`, or the authority of the URL the runtime built from it, is not a
 * host is malformed, and gets a 400 in its channel's format before anything
 * reads the URL. The local runtime and Cloudflare's edge refuse most such
 * requests before the Worker runs; this is the Worker's own check for the
 * ones a runtime hands over.
 */
import { catalogue } from '@fgm-is/rules';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import { findTargetHandler } from 'hono/utils/handler';
import type { AppEnv } from '../app-env.ts';
import { sendOutcome } from './respond.ts';

/**
 * `host [":" port]`: a registered name of unreserved characters (letters,
 * digits, `-`, `.`, `_`, `~`: DNS names and IPv4 addresses; no userinfo,
 * percent-encoding, sub-delimiters or non-ASCII), or an IPv6 literal in
 * brackets; the port, when there is one, 1–5 digits. Linear: neither host
 * form can take a `:` the port would.
 */
const AUTHORITY = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::([0-9]{1,5}))?$/;

/** The authority of an absolute URL (`scheme://authority/…`). */
const URL_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/;

/** @internal Whether an authority is `host[:port]` with a well-formed host and a port of at most 65535. */
function isHostAndPort(authority: string): boolean {
  const match = AUTHORITY.exec(authority);
  if (!match) return false;
  const port = match[1];
  return (port === undefined || Number(port) <= 65_535) && URL.canParse(`http://${authority}/`);
}

/**
 * Whether a request's host is well-formed: the authority of its URL and, when
 * present, its `Host` header are each `host[:port]`, and the URL parses. (A
 * `Host` header equal to the authority, as it is in workerd, is not checked twice.)
 */
export function hasValidHost(request: Request): boolean {
  let valid = checked.get(request);
  if (valid === undefined) {
    const authority = URL_AUTHORITY.exec(request.url)?.[1];
    const header = request.headers.get('Host');
    valid =
      authority !== undefined &&
      isHostAndPort(authority) &&
      URL.canParse(request.url) &&
      (header === null || header === authority || isHostAndPort(header));
    checked.set(request, valid);
  }
  return valid;
}

/** @internal Requests already checked: the app-wide step and a channel's own check ask about the same request. */
const checked = new WeakMap<Request, boolean>();

/**
 * @internal Route handlers that refuse a malformed host themselves, in their
 * channel's format and under its audit, each with the condition under which
 * the request reaches it.
 */
const refusingInChannel = new WeakMap<object, (c: Context<AppEnv>) => boolean>();

/**
 * Marks a route's handler as refusing a malformed host itself (an FGM
 * interaction's head-parameter check, a legacy endpoint's), so that
 * {@link validHost} leaves such requests to it; `reached` says whether the
 * request gets that far (a switched-off channel answers before it).
 */
export function refusesMalformedHost<H extends (c: never, next: never) => unknown>(
  handler: H,
  reached: (c: Context<AppEnv>) => boolean = () => true,
): H {
  refusingInChannel.set(handler, reached);
  return handler;
}

/**
 * Before routing: a request whose host is malformed → 400 PRECONDITION_FAILED
 * "Missing or invalid head parameter" (D-3: a missing or malformed header),
 * an OperationOutcome like every other answer off the legacy endpoints,
 * unless the route it matched refuses it in its own channel (see
 * {@link refusesMalformedHost}; a sub-app with its own `onError` wraps its
 * handlers, so each is looked up as written, through Hono's `findTargetHandler`).
 */
export function validHost() {
  return createMiddleware<AppEnv>(async function validHost(c, next) {
    if (hasValidHost(c.req.raw) || matchedRoutes(c).some(({ handler }) => refusingInChannel.get(findTargetHandler(handler))?.(c) === true))
      return next();
    return sendOutcome(c, catalogue.S2);
  });
}
