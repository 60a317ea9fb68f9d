/**
 * Search (D-10): `GET /Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}`.
 */
import { buildSearchBundle, londonDate, parseSearchQuery, searchMatch } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { baseUrlOf, fhirJson, noteAudit, sendOutcome } from '../pipeline/respond.ts';

/** One store read; the Bundle holds the patient's current flag or nothing. */
export async function searchFlags(c: Context<AppEnv>): Promise<Response> {
  const query = parseSearchQuery(new URL(c.req.url).searchParams);
  if (!query.ok) return sendOutcome(c, query.error);
  const { flags, newId } = c.get('services');
  const now = c.get('now');
  noteAudit(c, { nhsNumber: query.value.nhsNumber });
  const record = await flags.getActive(query.value.nhsNumber);
  const match = searchMatch(record, londonDate(now));
  noteAudit(c, { flagId: match?.id });
  const bundle = buildSearchBundle({ id: newId(), lastUpdated: now.toISOString(), baseUrl: baseUrlOf(c), nhsNumber: query.value.nhsNumber, match });
  return fhirJson(c, bundle, 200);
}
