/**
 * JSON request bodies (D-6): parsed into values, never exceptions.
 */
import { catalogue } from '../catalogue/index.ts';
import { type Result, fail, ok } from '../result/index.ts';

/**
 * Parses a request body as JSON. Unparseable text is the `Invalid request body`
 * entry (D-6), never an exception.
 */
export function parseJsonBody(text: string): Result<unknown> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return fail(catalogue.INVALID_BODY);
  }
}

/**
 * Whether a value is a plain JSON object (not null, not an array).
 *
 * @internal
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
