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

export { DOCS_CONTEXT_HEADER, type DocsContext } from './docs-context.ts';
