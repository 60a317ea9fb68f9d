/**
 * The last resort of the R4 side (D-12): a failure no handler turned into
 * an answer, answered through the one map (`failureOutcome`), with no internals.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { respond } from './respond.ts';

/**
 * A failed dependency → 503 SERVICE_UNAVAILABLE, anything else → 500
 * INTERNAL_SERVER_ERROR. The client sees only the catalogue text; the log
 * line carries what an operator needs, scrubbed (see `logFailure`).
 */
export function errorHandler() {
  return function errorHandler(error: Error, c: Context<AppEnv>) {
    return respond(c, { failure: error });
  };
}
