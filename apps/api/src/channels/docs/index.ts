/**
 * The documentation channel: `GET /openapi.json` (always, like `/metadata`),
 * the docs page at `/` with its assets under `/docs/` (when `DOCS_PAGE` is
 * "on"), and `POST /_sandbox/token` for the page's console (sandbox only).
 * Everything it serves is built beforehand (`scripts/build-docs.ts`) and
 * imported only when asked for; switched off, each path is the 404 of any
 * unknown path.
 */
import { catalogue } from '@fgm-is/rules';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import { baseUrlOf, sendOutcome } from '../../pipeline/respond.ts';
import { jsonBody } from '../../pipeline/json-body.ts';
import { methodNotAllowed } from '../../pipeline/method-not-allowed.ts';
import { PAGE_ASSETS, openApiText, pageHtml } from './assets.ts';
import { SANDBOX_CONSOLE_MARKERS } from './console-markers.ts';
import { issueSandboxToken } from './sandbox-token.ts';
import { servedDocument } from './served-document.ts';
import { docsSettings } from './settings.ts';

/**
 * The page's policy: its own scripts, styles and requests only; no frames,
 * no forms posting elsewhere. The page's data is a JSON script element,
 * which is never executed.
 */
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The sandbox console between its markers (the markers included). */
const SANDBOX_CONSOLE = new RegExp(`${SANDBOX_CONSOLE_MARKERS.start}[\\s\\S]*?${SANDBOX_CONSOLE_MARKERS.end}\\n?`, 'g');

/** The page and its assets exist only when `DOCS_PAGE` is "on"; otherwise they are unknown paths. */
const pageEnabled = createMiddleware<AppEnv>(async function pageEnabled(c, next) {
  if (!docsSettings(c).page) return sendOutcome(c, catalogue.UNKNOWN_PATH);
  await next();
});

/** The token endpoint exists only where the console does. */
const consoleEnabled = createMiddleware<AppEnv>(async function consoleEnabled(c, next) {
  if (!docsSettings(c).sandboxSigning) return sendOutcome(c, catalogue.UNKNOWN_PATH);
  await next();
});

/** The docs channel's routes, mounted at the root. */
export const docsRoutes = new Hono<AppEnv>()
  .get('/openapi.json', async (c) => {
    const settings = docsSettings(c);
    const served = {
      'legacy-messaging': c.get('services').legacy.enabled,
      'docs-page': settings.page,
      'sandbox-console': settings.sandboxSigning !== undefined,
    };
    return c.body(servedDocument(await openApiText(), served, baseUrlOf(c)), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  })
  .all('/openapi.json', methodNotAllowed(['GET']))
  .get('/', pageEnabled, async (c) => {
    const html = await pageHtml();
    const page = docsSettings(c).sandboxSigning ? html : html.replace(SANDBOX_CONSOLE, '');
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
  .post('/_sandbox/token', consoleEnabled, jsonBody(), issueSandboxToken)
  .all('/_sandbox/token', consoleEnabled, methodNotAllowed(['POST']));
