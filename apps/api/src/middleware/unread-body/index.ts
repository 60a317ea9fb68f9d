/**
 * Unread request bodies (D-23): a request refused before its body was read
 * (a bad header, an unknown path, a wrong method) still has its body read
 * and discarded, up to a bound, before the response goes.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import { discardUnreadBody } from '../../http/request-body.ts';

/**
 * After the response is built, discards whatever of the request body no
 * handler read; past the bound it cancels the body and answers with
 * `Connection: close`, so the client's next request opens a fresh
 * connection instead of waiting behind the rest of this one.
 */
export function unreadBody() {
  return createMiddleware<AppEnv>(async function unreadBody(c, next) {
    await next();
    if (!(await discardUnreadBody(c.req.raw))) c.res.headers.set('Connection', 'close');
  });
}
