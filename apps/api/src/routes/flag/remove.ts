import { decideRemoval, isFhirId, parseRemoveBody } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { auditSubject, sendOutcome, sendWrittenFlag } from '../../http/respond.ts';

/**
 * Remove (D-9): `PUT /Flag/{id}` → 200 with the updated Flag, its version
 * incremented; optional If-Match. The stored flag names the patient whose
 * ledger decides and writes; an unknown id is decided here (body, then R1).
 */
export async function removeFlag(c: Context<AppEnv>): Promise<Response> {
  const { flags, writer } = c.get('services');
  const id = c.req.param('id') ?? '';
  const command = { id, removal: parseRemoveBody(c.get('body')), ifMatch: c.req.header('If-Match') ?? null, now: c.get('now').toISOString() };
  const stored = isFhirId(id) ? await flags.getById(id) : null;
  if (stored) auditSubject(c, { nhsNumber: stored.nhsNumber, flagId: id });
  const decision = stored ? await writer.remove({ ...command, nhsNumber: stored.nhsNumber }) : decideRemoval({ ...command, record: null });
  if (!decision.ok) return sendOutcome(c, decision.error);
  return sendWrittenFlag(c, decision.value.flag, 200, 'RESOURCE_UPDATED');
}
