import { catalogue } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { sendOutcome } from '../../http/respond.ts';
import { DependencyUnavailableError } from '../../ports/errors.ts';
import { ensureRequestId } from '../services/index.ts';

/**
 * The last resort (D-12): a failed dependency → 503 SERVICE_UNAVAILABLE,
 * anything else → 500 INTERNAL_SERVER_ERROR. The client sees only the
 * catalogue text; the log line carries the request id and the error's
 * class, never its message (which could hold a key with an NHS number).
 */
export function errorHandler() {
  return function errorHandler(error: Error, c: Context<AppEnv>) {
    const unavailable = error instanceof DependencyUnavailableError;
    console.error(
      JSON.stringify({
        level: 'error',
        event: unavailable ? 'dependency_unavailable' : 'unhandled_error',
        requestId: ensureRequestId(c),
        error: error.name,
        ...(unavailable ? { dependency: error.dependency } : {}),
      }),
    );
    return sendOutcome(c, unavailable ? catalogue.SERVICE_UNAVAILABLE : catalogue.INTERNAL_ERROR);
  };
}
