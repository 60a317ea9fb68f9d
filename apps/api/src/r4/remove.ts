/**
 * Remove (D-9): `PUT /Flag/{id}` → 200 with the updated Flag, its version
 * incremented; optional If-Match.
 */
import { parseRemoveBody } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { auditDraft } from '../audit/draft.ts';
import { noteAudit, sendOutcome, sendWrittenFlag } from '../pipeline/respond.ts';

/** The body is reduced to what D-9 decides on; the writer finds the flag's ledger and makes every decision. */
export async function removeFlag(c: Context<AppEnv>): Promise<Response> {
  const id = c.req.param('id') ?? '';
  const decision = await c.get('services').writer.remove({
    id,
    removal: parseRemoveBody(c.get('body')),
    ifMatch: c.req.header('If-Match') ?? null,
    now: c.get('now').toISOString(),
    audit: auditDraft(c, { channel: 'r4', interaction: 'remove' }),
  });
  if (decision.nhsNumber) noteAudit(c, { nhsNumber: decision.nhsNumber, flagId: id });
  if (!decision.ok) return sendOutcome(c, decision.error);
  noteAudit(c, { recordedWithChange: true });
  return sendWrittenFlag(c, decision.value.flag, 200, 'RESOURCE_UPDATED');
}
