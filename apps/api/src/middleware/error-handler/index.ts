/**
 * The last resort (D-12): unexpected failures as OperationOutcomes with no internals.
 */
import { catalogue } from '@fgm-is/rules';
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../../app-env.ts';
import { describeError, log } from '../../http/logging.ts';
import { sendOutcome } from '../../http/respond.ts';
import { DependencyUnavailableError } from '../../ports/errors.ts';

/**
 * A failed dependency → 503 SERVICE_UNAVAILABLE, anything else → 500
 * INTERNAL_SERVER_ERROR. The client sees only the catalogue text. The log
 * line carries what an operator needs: the request id, the route, the
 * error's class, its message and the frame that threw, and for a
 * dependency its name and underlying error, all scrubbed of NHS numbers
 * and credentials.
 */
export function errorHandler() {
  return function errorHandler(error: Error, c: Context<AppEnv>) {
    const unavailable = error instanceof DependencyUnavailableError;
    const cause = unavailable && error.cause !== undefined ? describeError(error.cause) : undefined;
    log('error', unavailable ? 'dependency_unavailable' : 'unhandled_error', {
      requestId: c.get('requestId'),
      method: c.req.method,
      route: routePath(c, -1),
      ...describeError(error),
      ...(unavailable ? { dependency: error.dependency } : {}),
      ...(cause ? { causeError: cause.error, causeMessage: cause.message, causeWhere: cause.where } : {}),
    });
    return sendOutcome(c, unavailable ? catalogue.SERVICE_UNAVAILABLE : catalogue.INTERNAL_ERROR);
  };
}
