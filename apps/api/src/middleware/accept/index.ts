import { negotiateAccept } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import { sendOutcome } from '../../http/respond.ts';

/** Content negotiation (D-12): an Accept that admits no FHIR JSON → 406. */
export function acceptFhirJson() {
  return createMiddleware<AppEnv>(async function acceptFhirJson(c, next) {
    const result = negotiateAccept(c.req.header('Accept'));
    if (!result.ok) return sendOutcome(c, result.error);
    await next();
  });
}
