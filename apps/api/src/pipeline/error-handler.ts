/**
 * The last resort (D-12): unexpected failures as OperationOutcomes with no internals.
 */
import { catalogue } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { logFailure } from './logging.ts';
import { sendOutcome } from './respond.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';

/**
 * A failed dependency → 503 SERVICE_UNAVAILABLE, anything else → 500
 * INTERNAL_SERVER_ERROR. The client sees only the catalogue text; the log
 * line carries what an operator needs, scrubbed of NHS numbers and
 * credentials (see `logFailure`).
 */
export function errorHandler() {
  return function errorHandler(error: Error, c: Context<AppEnv>) {
    logFailure(c, error);
    return sendOutcome(c, error instanceof DependencyUnavailableError ? catalogue.SERVICE_UNAVAILABLE : catalogue.INTERNAL_ERROR);
  };
}
