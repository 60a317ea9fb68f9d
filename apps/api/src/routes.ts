/**
 * What the API serves, as data (`@fgm-is/api/routes`): the route
 * declarations that sit with each channel's routes, the words the OpenAPI
 * document and the API's contract check share, and what the API hands its
 * docs Worker on each forwarded request. The docs workspace builds the
 * document from these; nothing here imports Hono or the app.
 */
export { GUARD_CHECKS, type GuardCheck, R4_OPERATIONS, type R4Operation, guardErrors, guardOrderText } from './r4/openapi.ts';
export { LEGACY_DESCRIPTION, LEGACY_OPERATIONS, type LegacyOperation } from './legacy/openapi.ts';
export { HEALTH_OPERATIONS, type HealthOperation } from './health/openapi.ts';

/** The rows any path answers outside its operations: an unknown path, or a method a known path does not serve (D-12). */
export const ROUTING_ERRORS = { unknownPath: 'UNKNOWN_PATH', methodNotAllowed: 'METHOD_NOT_ALLOWED' } as const;

/** When a path is served beyond always; a deployment leaves the others out of the document it serves. */
export type ServedWhen = 'legacy-messaging' | 'docs-page' | 'sandbox-console';

/** The OpenAPI path-item extension naming when the path is served ({@link ServedWhen}). */
export const SERVED_WHEN = 'x-fgm-served-when';

/** The OpenAPI response extension listing the catalogue rows (keys) the response can be. */
export const ERRORS_EXTENSION = 'x-fgm-errors';

/** The OpenAPI response extension saying when its body is empty. */
export const EMPTY_BODY_WHEN = 'x-fgm-empty-body-when';

/**
 * The request header on the API → docs Worker hop (the DOCS service binding)
 * carrying a {@link DocsContext} as URI-encoded JSON. The API sets it on
 * every forwarded request, replacing any a client sent.
 */
export const DOCS_CONTEXT_HEADER = 'X-FGM-Docs-Context';

/**
 * What the docs Worker needs of the API's configuration, made by the API
 * from its own validated configuration on each forwarded request, so each
 * fact is written once, in the API's wrangler.toml (and `.dev.vars`).
 */
export interface DocsContext {
  /** The base URL of links and of the document's server: `PUBLIC_BASE_URL`, else the request's origin (D-20). */
  readonly baseUrl: string;
  /** The legacy messaging endpoints are served (`LEGACY_MESSAGING = "on"`). */
  readonly legacyMessaging: boolean;
  /** The docs page and its assets are served (`DOCS_PAGE = "on"`). */
  readonly docsPage: boolean;
  /**
   * The sandbox console and `POST /_sandbox/token`: present only when the
   * page is on, `ENVIRONMENT` is `sandbox` and tokens are HS256 with a
   * shared secret (the published sandbox secret, or `.dev.vars`'s).
   */
  readonly sandboxSigning?: { readonly secret: string; readonly issuer: string; readonly audience: string } | undefined;
}
