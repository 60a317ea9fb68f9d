/**
 * Search (D-10): `GET /Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}`.
 */
import { buildSearchBundle, londonDate, parseSearchQuery, searchMatch } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { orFailure } from '../pipeline/failure.ts';
import { type R4Answer, baseUrlOf } from '../pipeline/respond.ts';

/** One store read; the Bundle holds the patient's current flag or nothing. A failed read is audited against the patient asked about. */
export async function searchFlags(c: Context<AppEnv>): Promise<R4Answer> {
  const url = new URL(c.req.url);
  const query = parseSearchQuery(url.searchParams);
  if (!query.ok) return { outcome: query.error };
  const { nhsNumber } = query.value;
  const { flags, newId } = c.get('services');
  const now = c.get('now');
  return orFailure(
    async () => {
      const match = searchMatch(await flags.getActive(nhsNumber), londonDate(now));
      const bundle = buildSearchBundle({ id: newId(), lastUpdated: now.toISOString(), baseUrl: baseUrlOf(c, url), nhsNumber, match });
      return { resource: bundle, subject: { nhsNumber, flagId: match?.id ?? null } };
    },
    (failure) => ({ failure, subject: { nhsNumber } }),
  );
}
