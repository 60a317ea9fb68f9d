/**
 * The docs Worker (`fgm-is-docs`): `GET /openapi.json`, the documentation
 * page at `/` with its assets under `/docs/`, and `POST /_sandbox/token` for
 * the page's console, exactly as the API served them when they were part of
 * it. It is reached through the API's `DOCS` service binding
 * (apps/api/src/docs-forward.ts), which hands on the client's request with
 * what this Worker needs of the API's configuration (`./context.ts`) and
 * wraps the answer in the API's own middleware (request id, no-store,
 * nosniff, TraceID). What it serves is built beforehand (`scripts/build.ts`,
 * into `dist/`); switched off, each path is the 404 of any unknown path.
 */
import { catalogue } from '@fgm-is/rules';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { PAGE_ASSETS, openApiText, pageHtml } from './assets.ts';
import { SANDBOX_CONSOLE_MARKERS } from './console-markers.ts';
import { type DocsEnv, docsContextOf } from './context.ts';
import { docsErrorHandler } from './error-handler.ts';
import { methodNotAllowed, sendOutcome } from './respond.ts';
import { issueSandboxToken } from './sandbox-token.ts';
import { servedDocument } from './served-document.ts';

/**
 * The page's policy: its own scripts, styles and requests only; no frames,
 * no forms posting elsewhere. The page's data is a JSON script element,
 * which is never executed.
 */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The sandbox console between its markers (the markers included). */
const SANDBOX_CONSOLE = new RegExp(`${SANDBOX_CONSOLE_MARKERS.start}[\\s\\S]*?${SANDBOX_CONSOLE_MARKERS.end}\\n?`, 'g');

/** The page and its assets exist only when the docs page is on; otherwise they are unknown paths. */
const pageEnabled = createMiddleware<DocsEnv>(async function pageEnabled(c, next) {
  if (!c.get('context').docsPage) return sendOutcome(c, catalogue.UNKNOWN_PATH);
  await next();
});

/** The token endpoint exists only where the console does. */
const consoleEnabled = createMiddleware<DocsEnv>(async function consoleEnabled(c, next) {
  if (!c.get('context').sandboxSigning) return sendOutcome(c, catalogue.UNKNOWN_PATH);
  await next();
});

/** The docs Worker's app. */
const app = new Hono<DocsEnv>()
  .use(async function context(c, next) {
    c.set('context', docsContextOf(c.req.raw));
    await next();
  })
  .get('/openapi.json', async (c) => {
    const context = c.get('context');
    const served = {
      'legacy-messaging': context.legacyMessaging,
      'docs-page': context.docsPage,
      'sandbox-console': context.sandboxSigning !== undefined,
    };
    return c.body(servedDocument(await openApiText(), served, context.baseUrl), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  })
  .all('/openapi.json', methodNotAllowed(['GET']))
  .get('/', pageEnabled, async (c) => {
    const html = await pageHtml();
    const page = c.get('context').sandboxSigning ? html : html.replace(SANDBOX_CONSOLE, '');
    return c.body(page, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP });
  })
  .all('/', pageEnabled, methodNotAllowed(['GET']))
  .get('/docs/:asset', pageEnabled, async (c) => {
    const name = c.req.param('asset');
    const asset = Object.hasOwn(PAGE_ASSETS, name) ? PAGE_ASSETS[name as keyof typeof PAGE_ASSETS] : undefined;
    if (!asset) return sendOutcome(c, catalogue.UNKNOWN_PATH);
    return c.body(await asset.load(), 200, { 'Content-Type': asset.type });
  })
  .all('/docs/:asset', pageEnabled, methodNotAllowed(['GET']))
  .post('/_sandbox/token', consoleEnabled, issueSandboxToken)
  .all('/_sandbox/token', consoleEnabled, methodNotAllowed(['POST']))
  .notFound((c) => sendOutcome(c, catalogue.UNKNOWN_PATH))
  .onError(docsErrorHandler());

export default app;
