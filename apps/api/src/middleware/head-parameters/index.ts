import { type Interaction, checkHeadParameters } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import { sendOutcome } from '../../http/respond.ts';

/**
 * Requires the head parameters of D-3 (TraceID, FromASID, ToASID, a Bearer
 * JWS and, for add/remove, a FHIR JSON Content-Type); else 400 S2/A8/R4.
 * Records the interaction for the middleware after it.
 */
export function headParameters(interaction: Interaction) {
  return createMiddleware<AppEnv>(async function headParameters(c, next) {
    c.set('interaction', interaction);
    const result = checkHeadParameters(c.req.raw.headers, interaction);
    if (!result.ok) return sendOutcome(c, result.error);
    c.set('head', result.value);
    await next();
  });
}
