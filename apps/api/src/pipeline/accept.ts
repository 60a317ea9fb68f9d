/**
 * Content negotiation (D-12, D-24): the client must accept FHIR JSON.
 */
import { checkFormatParameter, negotiateAccept } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { sendOutcome } from './respond.ts';

/**
 * @internal Whether a URL's query can hold `_format`: only when it says
 * `_format`, or encodes something that could decode to it (`%5Fformat`).
 * Every other request (search's own query included) skips parsing and
 * decoding the whole query for a parameter it cannot have.
 */
function mayNameFormat(url: string): boolean {
  return url.includes('_format') || url.includes('%');
}

/** An Accept that admits no FHIR JSON, or a `_format` naming anything but JSON → 406. */
export function acceptFhirJson() {
  return createMiddleware<AppEnv>(async function acceptFhirJson(c, next) {
    const result = negotiateAccept(c.req.header('Accept'));
    if (!result.ok) return sendOutcome(c, result.error);
    const format = checkFormatParameter(mayNameFormat(c.req.url) ? (c.req.queries('_format') ?? []) : []);
    if (!format.ok) return sendOutcome(c, format.error);
    await next();
  });
}
