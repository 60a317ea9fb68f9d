/**
 * Unread request bodies (D-23): a request refused before its body was read
 * (a bad header, an unknown path, a wrong method, a declared size over the
 * limit) still has its body read and discarded before the response goes,
 * unless the body stops arriving or the client waits on `Expect: 100-continue`.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { discardUnreadBody } from './request-body.ts';

/**
 * After the response is built, discards whatever of the request body no
 * handler read, to its end; a body that was cancelled instead (it stopped
 * arriving, or was never asked for) gets `Connection: close` on the
 * response, so the client's next request opens a fresh connection instead
 * of waiting behind the rest of this one.
 */
export function unreadBody() {
  return createMiddleware<AppEnv>(async function unreadBody(c, next) {
    await next();
    if (!(await discardUnreadBody(c.req.raw))) c.res.headers.set('Connection', 'close');
  });
}
