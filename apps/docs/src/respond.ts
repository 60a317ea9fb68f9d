/**
 * The docs Worker's refusals: the catalogue's OperationOutcomes, exactly as
 * the API sends them (FHIR JSON, a fresh id). The API's middleware adds the
 * headers every response carries when it hands the answer back.
 */
import { type CatalogueEntry, FHIR_JSON_CONTENT_TYPE, catalogue, toOperationOutcome } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Sends a catalogue entry as its OperationOutcome with its HTTP status. */
export function sendOutcome(c: Context, entry: CatalogueEntry, headers: Record<string, string> = {}): Response {
  const outcome = toOperationOutcome(entry, crypto.randomUUID());
  return c.body(JSON.stringify(outcome), entry.status as ContentfulStatusCode, { ...headers, 'Content-Type': FHIR_JSON_CONTENT_TYPE });
}

/** A known path with a method it does not serve → 405 with `Allow` (D-12); HEAD goes with GET. */
export function methodNotAllowed(allow: readonly string[]) {
  const header = [...allow, ...(allow.includes('GET') ? ['HEAD'] : [])].join(', ');
  return function methodNotAllowed(c: Context): Response {
    return sendOutcome(c, catalogue.METHOD_NOT_ALLOWED, { Allow: header });
  };
}
