/**
 * A request's failure in the operational log (see `log/`): what an operator
 * needs, with patient data and credentials scrubbed.
 */
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env.ts';
import { describeError, log } from '../log/index.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';

/**
 * Logs a request's failure with what an operator needs: the request id, the
 * route, the error's class, message and throwing frame, and for a dependency
 * its name and underlying error, all scrubbed.
 */
export function logFailure(c: Context<AppEnv>, error: unknown): void {
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
}
