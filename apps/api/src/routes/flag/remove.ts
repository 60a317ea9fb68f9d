import { decideRemove, isFhirId } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { sendOutcome, sendWrittenFlag } from '../../http/respond.ts';

/**
 * Remove (D-9): `PUT /Flag/{id}` → 200 with the updated Flag, its version
 * incremented; optional If-Match.
 */
export async function removeFlag(c: Context<AppEnv>): Promise<Response> {
  const { flags } = c.get('services');
  const id = c.req.param('id') ?? '';
  const record = isFhirId(id) ? await flags.getById(id) : null;
  const decision = decideRemove({ id, body: c.get('body'), record, ifMatch: c.req.header('If-Match') ?? null, now: c.get('now').toISOString() });
  if (!decision.ok) return sendOutcome(c, decision.error);
  await flags.update(decision.value);
  return sendWrittenFlag(c, decision.value.flag, 200, 'RESOURCE_UPDATED');
}
