/**
 * The OpenAPI extensions this project's document uses: small enough for
 * the Worker to import without the generator.
 */

/** When a path is served beyond always; the server leaves the others out of the document it serves. */
export type ServedWhen = 'legacy-messaging' | 'docs-page' | 'sandbox-console';

/** The path-item extension naming when it is served. */
export const SERVED_WHEN = 'x-fgm-served-when';

/** The response extension listing the catalogue rows (keys) it can return. */
export const ERRORS_EXTENSION = 'x-fgm-errors';

/** The response extension saying when its body is empty. */
export const EMPTY_BODY_WHEN = 'x-fgm-empty-body-when';
