/**
 * Read (D-11): `GET /Flag/{id}` → the Flag, active or removed (even once its
 * patient is 18: D-13 only hides it from search), with ETag and Last-Modified.
 */
import { catalogue, httpDate, isFhirId, weakEtag } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { R4Answer } from '../pipeline/respond.ts';

/** One store read by id; an id that is not a FHIR id names no flag. */
export async function readFlag(c: Context<AppEnv>): Promise<R4Answer> {
  const id = c.req.param('id') ?? '';
  const record = isFhirId(id) ? await c.get('services').flags.getById(id) : null;
  if (!record) return { outcome: catalogue.NOT_FOUND };
  const { flag } = record;
  return {
    resource: flag,
    headers: { ETag: weakEtag(flag.meta.versionId), 'Last-Modified': httpDate(flag.meta.lastUpdated) },
    subject: { nhsNumber: record.nhsNumber, flagId: id },
  };
}
