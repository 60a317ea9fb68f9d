/**
 * The one map from a failure to an answer (D-12, L-8): a dependency that
 * failed is SERVICE_UNAVAILABLE (503: nothing changed, try again later),
 * anything else INTERNAL_ERROR (500). Both channels answer through it (R4
 * as its OperationOutcome, messaging as the legacy row of the same entry),
 * and each failure is logged once, here, scrubbed.
 */
import { type CatalogueEntry, catalogue } from '@fgm-is/rules';
import type { Context } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env.ts';
import { describeError, log } from '../log/index.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';

/** The catalogue entry a failure is answered with: never the failure's own message. */
export function failureOutcome(error: unknown): CatalogueEntry {
  return error instanceof DependencyUnavailableError ? catalogue.SERVICE_UNAVAILABLE : catalogue.INTERNAL_ERROR;
}

/**
 * Logs a request's failure with what an operator needs: the request id, the
 * route, the error's class, message and throwing frame, and for a dependency
 * its name and underlying error, all scrubbed of NHS numbers and credentials.
 */
export function logFailure<E extends AppEnv>(c: Context<E>, error: unknown): void {
  const unavailable = error instanceof DependencyUnavailableError;
  const cause = unavailable && error.cause !== undefined ? describeError(error.cause) : undefined;
  log('error', unavailable ? 'dependency_unavailable' : 'unhandled_error', {
    requestId: c.get('requestId'),
    method: c.req.method,
    route: routePath(c, -1),
    ...describeError(error),
    ...(unavailable ? { dependency: error.dependency } : {}),
    ...(cause
      ? { causeError: cause.error, ...(cause.code ? { causeCode: cause.code } : {}), causeMessage: cause.message, causeWhere: cause.where }
      : {}),
  });
}

/**
 * Runs a handler's work, a failure of which becomes a value: the answer
 * `failed` makes of it, carrying whom the request concerned as far as it had
 * got (so that a 503 is audited against the patient it was about).
 */
export async function orFailure<A, F>(work: () => Promise<A>, failed: (error: unknown) => F): Promise<A | F> {
  try {
    return await work();
  } catch (error) {
    return failed(error);
  }
}
