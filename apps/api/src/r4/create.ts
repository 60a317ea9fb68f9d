/**
 * Add (D-1, D-6, D-7): `POST /Flag` → 201 with Location, ETag and Last-Modified.
 */
import { londonDate, validateAddBody } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { addInputs } from '../pipeline/add-inputs.ts';
import { auditDraft } from '../audit/draft.ts';
import { baseUrlOf, noteAudit, sendOutcome, sendWrittenFlag } from '../pipeline/respond.ts';

/**
 * The body is checked by the rules; the patient directory is asked for age
 * and gender; the patient's ledger decides the rest and writes.
 */
export async function createFlag(c: Context<AppEnv>): Promise<Response> {
  const { writer, patients, flags, newId } = c.get('services');
  const now = c.get('now');
  const request = validateAddBody(c.get('body'), londonDate(now));
  if (!request.ok) return sendOutcome(c, request.error);
  noteAudit(c, { nhsNumber: request.value.nhsNumber });
  const inputs = await addInputs(patients, flags, request.value.nhsNumber);
  const audit = auditDraft(c, { channel: 'r4', interaction: 'add' });
  const decision = await writer.add({ request: request.value, ...inputs, id: newId(), now: now.toISOString(), audit });
  if (!decision.ok) return sendOutcome(c, decision.error);
  const { flag } = decision.value;
  noteAudit(c, { flagId: flag.id, recordedWithChange: true });
  return sendWrittenFlag(c, flag, 201, 'RESOURCE_CREATED', { Location: `${baseUrlOf(c)}/Flag/${flag.id}` });
}
