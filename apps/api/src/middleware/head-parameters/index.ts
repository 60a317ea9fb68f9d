/**
 * Required request headers (D-3) for an FGM interaction.
 */
import { type Interaction, checkHeadParameters } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import { sendOutcome } from '../../http/respond.ts';

/**
 * Requires TraceID, FromASID, ToASID, a Bearer JWS and, for add and remove,
 * a FHIR JSON Content-Type; else 400 S2/A8/R4. Sets `head` for the steps after it.
 */
export function headParameters(interaction: Interaction) {
  return createMiddleware<AppEnv>(async function headParameters(c, next) {
    const result = checkHeadParameters(c.req.raw.headers, interaction);
    if (!result.ok) return sendOutcome(c, result.error);
    c.set('head', result.value);
    await next();
  });
}
