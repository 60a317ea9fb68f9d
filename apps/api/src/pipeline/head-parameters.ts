/**
 * Required request headers (D-3) for an FGM interaction.
 */
import { type HeadParameters, type Interaction, checkHeadParameters, headParameterError } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { EnvWith } from '../app-env.ts';
import { sendOutcome } from './respond.ts';
import { hasValidHost, refusesMalformedHost } from './valid-host.ts';

/** What {@link headParameters} sets: the well-formed head parameters (D-3). */
export interface HeadVariables {
  head: HeadParameters;
}

/**
 * Requires a well-formed `Host` (RFC 9112 §3.2; a malformed header, D-3),
 * TraceID, FromASID, ToASID, a Bearer JWS and, for add and remove, a FHIR
 * JSON Content-Type; else 400 S2/A8/R4, audited like any refusal of the
 * interaction. Sets `head` for the steps after it.
 */
export function headParameters(interaction: Interaction) {
  return refusesMalformedHost(
    createMiddleware<EnvWith<HeadVariables>>(async function headParameters(c, next) {
      if (!hasValidHost(c.req.raw)) return sendOutcome(c, headParameterError(interaction));
      const result = checkHeadParameters(c.req.raw.headers, interaction);
      if (!result.ok) return sendOutcome(c, result.error);
      c.set('head', result.value);
      await next();
    }),
  );
}
