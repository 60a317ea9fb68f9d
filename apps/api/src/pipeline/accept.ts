/**
 * Content negotiation (D-12, D-24): the client must accept FHIR JSON.
 */
import { checkFormatParameter, negotiateAccept } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { sendOutcome } from './respond.ts';

/** An Accept that admits no FHIR JSON, or a `_format` naming anything but JSON → 406. */
export function acceptFhirJson() {
  return createMiddleware<AppEnv>(async function acceptFhirJson(c, next) {
    const result = negotiateAccept(c.req.header('Accept'));
    if (!result.ok) return sendOutcome(c, result.error);
    const format = checkFormatParameter(c.req.queries('_format') ?? []);
    if (!format.ok) return sendOutcome(c, format.error);
    await next();
  });
}
