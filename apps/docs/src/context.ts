/**
 * What this Worker knows of the API's configuration: the {@link DocsContext}
 * the API puts on each request it forwards (apps/api/src/docs-forward.ts).
 * Without one, or with one that does not parse, nothing optional is served:
 * the document without the optional paths, no page, no console.
 */
import { DOCS_CONTEXT_HEADER, type DocsContext } from '@fgm-is/api/routes';
import * as v from 'valibot';

/** @internal The header's JSON, checked as strictly as the API writes it. */
const DocsContextSchema = v.strictObject({
  baseUrl: v.pipe(v.string(), v.url()),
  legacyMessaging: v.boolean(),
  docsPage: v.boolean(),
  requestId: v.optional(v.pipe(v.string(), v.uuid())),
  sandboxSigning: v.optional(v.strictObject({ secret: v.pipe(v.string(), v.minLength(1)), issuer: v.string(), audience: v.string() })),
}) satisfies v.GenericSchema<DocsContext>;

/** The docs Worker's Hono environment: the request's {@link DocsContext}, read first. */
export type DocsEnv = { Variables: { context: DocsContext } };

/** The context of a request: the API's, or nothing optional on (links on the request's origin). */
export function docsContextOf(request: Request): DocsContext {
  const header = request.headers.get(DOCS_CONTEXT_HEADER);
  if (header !== null) {
    try {
      const parsed = v.safeParse(DocsContextSchema, JSON.parse(decodeURIComponent(header)));
      if (parsed.success) return parsed.output;
    } catch {
      // Not URI-encoded JSON: as if absent.
    }
  }
  return { baseUrl: new URL(request.url).origin, legacyMessaging: false, docsPage: false, sandboxSigning: undefined };
}
