/**
 * The docs Worker's own routes as data, beside the router (`./index.ts`):
 * what the OpenAPI document says of them. The API's routes are declared
 * with the API's routes (`@fgm-is/api/routes`).
 */
import type { ServedWhen } from '@fgm-is/api/routes';
import type { ErrorKey } from '@fgm-is/rules';

/** A route of the docs Worker. */
export interface DocsOperation {
  readonly method: 'GET' | 'POST';
  /** The path in Hono's syntax (`:asset`); the OpenAPI document writes `{asset}`. */
  readonly path: '/openapi.json' | '/' | '/docs/:asset' | '/_sandbox/token';
  readonly operationId: string;
  readonly tag: 'Documentation' | 'Sandbox';
  readonly summary: string;
  readonly description?: string;
  /** Served only when this part is on; otherwise 404 like any unknown path. Always, when absent. */
  readonly servedWhen?: ServedWhen;
  /** The catalogue rows it can answer with (an unknown asset's 404 is documented with the operation). */
  readonly errors: readonly ErrorKey[];
}

/** The docs Worker's routes, in the document's order. */
export const DOCS_OPERATIONS: readonly DocsOperation[] = [
  {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'openapi',
    tag: 'Documentation',
    summary: 'This document; no headers needed',
    errors: ['INTERNAL_ERROR'],
  },
  {
    method: 'GET',
    path: '/',
    operationId: 'docsPage',
    tag: 'Documentation',
    summary: 'The documentation page, with the live validator (and in the sandbox the console)',
    description: 'Off unless `DOCS_PAGE = "on"`; then 404 like any unknown path.',
    servedWhen: 'docs-page',
    errors: ['INTERNAL_ERROR'],
  },
  {
    method: 'GET',
    path: '/docs/:asset',
    operationId: 'docsAsset',
    tag: 'Documentation',
    summary: "The page's stylesheet and ES module (with the rules it runs)",
    servedWhen: 'docs-page',
    errors: ['INTERNAL_ERROR'],
  },
  {
    method: 'POST',
    path: '/_sandbox/token',
    operationId: 'sandboxToken',
    tag: 'Sandbox',
    summary: 'A sandbox access token (sandbox only)',
    description:
      'Signs an HS256 token with the published sandbox secret and the sandbox issuer and audience, as `npm run token` does, for the docs page console. Exists only when `ENVIRONMENT = "sandbox"` and the docs page is on; elsewhere 404 like any unknown path.',
    servedWhen: 'sandbox-console',
    errors: ['BODY_TOO_LARGE', 'INVALID_BODY', 'INTERNAL_ERROR'],
  },
];
