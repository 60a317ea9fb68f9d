/**
 * The docs paths: `GET /openapi.json`, the docs page at `/` with its assets
 * under `/docs/`, and `POST /_sandbox/token`. They are served by the docs
 * Worker (apps/docs, `fgm-is-docs`), not by this one, so the API's bundle
 * carries no docs code. Through the `DOCS` service binding (the sandbox and
 * production both bind it), each request on them, any method, is handed on unchanged but for
 * one internal header, and the docs Worker's answer comes back through this
 * app's middleware (request id, no-store, nosniff, TraceID) like any other.
 * A deployment that binds no docs Worker answers each with the 404 of any
 * unknown path.
 *
 * The docs Worker learns what it needs of this configuration from that
 * header ({@link DocsContext}): legacy messaging on or off, the docs page on
 * or off, the sandbox signing settings, the base URL. Made here from the
 * API's own validated configuration rather than restated in the docs
 * Worker's vars or read by its build, so each fact is written once (this
 * Worker's wrangler.toml and `.dev.vars`) and a test that changes the API's
 * vars changes what the docs serve. The hop is a service binding, never the
 * internet, and the signing secret crosses it only in the sandbox, where it
 * is the published one or the developer's own.
 */
import { catalogue } from '@fgm-is/rules';
import { type Context, Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { DOCS_CONTEXT_HEADER, type DocsContext } from './docs-context.ts';
import { readRequestBody } from './pipeline/request-body.ts';
import { baseUrlOf, sendOutcome } from './pipeline/respond.ts';
import { DependencyUnavailableError } from './ports/errors.ts';

/** @internal The context for this request: the configuration's part made once, with the services. */
function docsContext(c: Context<AppEnv>): DocsContext {
  const { docs, legacy } = c.get('services');
  return { ...docs, baseUrl: baseUrlOf(c), legacyMessaging: legacy.enabled, requestId: c.get('requestId') };
}

/**
 * @internal Hands the request to the docs Worker, or answers as for any
 * unknown path when there is none. Nothing streams across the hop: the one
 * body the docs read (the token route's, at most 64 KiB) is read here first,
 * refused here as the docs would refuse it (413, or 400 for an upload cut
 * short), and the docs' answer (a page, the document) is read whole before
 * it is passed on. A hop that fails is the docs dependency's failure (503).
 */
async function forward(c: Context<AppEnv>): Promise<Response> {
  const docs = c.env.DOCS;
  if (!docs) return sendOutcome(c, catalogue.UNKNOWN_PATH);
  const context = docsContext(c);
  const headers = new Headers(c.req.raw.headers);
  headers.set(DOCS_CONTEXT_HEADER, encodeURIComponent(JSON.stringify(context)));
  // The hop's request has its own framing: a client's Content-Length or Transfer-Encoding would not describe it.
  headers.delete('Content-Length');
  headers.delete('Transfer-Encoding');
  // Only the token route reads a body. Any other body stays here, where the pipeline's unread-body step drains it (D-23).
  let body: Uint8Array | null = null;
  if (c.req.method === 'POST' && c.req.path === '/_sandbox/token' && context.sandboxSigning !== undefined) {
    const read = await readRequestBody(c.req.raw);
    if (read.kind === 'too-large') return sendOutcome(c, catalogue.BODY_TOO_LARGE);
    if (read.kind === 'broken') return sendOutcome(c, catalogue.INVALID_BODY);
    body = read.bytes;
  }
  const { method, url } = c.req.raw;
  try {
    const answer = await docs.fetch(new Request(url, { method, headers, body }));
    return new Response(await answer.arrayBuffer(), answer);
  } catch (cause) {
    throw new DependencyUnavailableError('docs', { cause });
  }
}

/** The docs paths, every method, mounted at the root. */
export const docsRoutes = new Hono<AppEnv>()
  .all('/openapi.json', forward)
  .all('/', forward)
  .all('/docs/:asset', forward)
  .all('/_sandbox/token', forward);
