/**
 * The docs Worker's answer to a fault it did not expect.
 */
import { catalogue } from '@fgm-is/rules';
import type { ErrorHandler } from 'hono';
import type { DocsEnv } from './context.ts';
import { sendOutcome } from './respond.ts';

/**
 * Logs a JSON line like the API's (`docs-error`: the route, the error's
 * class, and the API's request id of the request, to find it by in the
 * API's own log line) and answers the catalogue's 500. Never the error's
 * message, which could echo a request.
 */
export function docsErrorHandler(): ErrorHandler<DocsEnv> {
  return function docsErrorHandler(error, c) {
    const requestId = c.get('context')?.requestId ?? null;
    console.error(JSON.stringify({ level: 'error', event: 'docs-error', route: c.req.routePath, error: error.name, requestId }));
    return sendOutcome(c, catalogue.INTERNAL_ERROR);
  };
}
