import { decideAdd, londonDate, validateAddBody } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { baseUrlOf, sendOutcome, sendWrittenFlag } from '../../http/respond.ts';

/**
 * Add (D-1, D-6, D-7): `POST /Flag` → 201 with Location, ETag and
 * Last-Modified. The patient directory and the current flag are read
 * together; the rules decide.
 */
export async function createFlag(c: Context<AppEnv>): Promise<Response> {
  const { flags, patients, newId } = c.get('services');
  const now = c.get('now');
  const today = londonDate(now);
  const request = validateAddBody(c.get('body'), today);
  if (!request.ok) return sendOutcome(c, request.error);
  const [patient, activeFlag] = await Promise.all([patients.lookup(request.value.nhsNumber), flags.getActive(request.value.nhsNumber)]);
  const decision = decideAdd({ request: request.value, patient, activeFlag, today, id: newId(), now: now.toISOString() });
  if (!decision.ok) return sendOutcome(c, decision.error);
  await flags.create(decision.value);
  const { flag } = decision.value;
  return sendWrittenFlag(c, flag, 201, 'RESOURCE_CREATED', { Location: `${baseUrlOf(c)}/Flag/${flag.id}` });
}
