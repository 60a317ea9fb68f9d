/**
 * The API → docs Worker hop (the DOCS service binding): its header and what
 * it carries. A module of its own, so that the API's bundle takes only this
 * from what `@fgm-is/api/routes` exports (not the route declarations).
 */
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
  /** The API's request id of the forwarded request (its X-Request-ID, D-21), for the docs Worker's error log; absent from an older API. */
  readonly requestId?: string | undefined;
  /**
   * The sandbox console and `POST /_sandbox/token`: present only when the
   * page is on, `ENVIRONMENT` is `sandbox` and tokens are HS256 with a
   * shared secret (the published sandbox secret, or `.dev.vars`'s).
   */
  readonly sandboxSigning?: { readonly secret: string; readonly issuer: string; readonly audience: string } | undefined;
}
