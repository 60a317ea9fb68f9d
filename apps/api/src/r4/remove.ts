/**
 * Remove (D-9): `PUT /Flag/{id}` → 200 with the updated Flag, its version
 * incremented; optional If-Match.
 */
import { parseRemoveBody } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { EnvWith } from '../app-env.ts';
import { type AuditVariables, requestAuditDraft } from '../pipeline/audit.ts';
import type { UserVariables } from '../pipeline/authenticate.ts';
import type { BodyVariables } from '../pipeline/json-body.ts';
import type { R4Answer } from '../pipeline/respond.ts';

/** The body is reduced to what D-9 decides on; the writer finds the flag's ledger and makes every decision. */
export async function removeFlag(c: Context<EnvWith<AuditVariables & UserVariables & BodyVariables>>): Promise<R4Answer> {
  const id = c.req.param('id') ?? '';
  const decision = await c.get('services').writer.remove({
    id,
    removal: parseRemoveBody(c.get('body')),
    ifMatch: c.req.header('If-Match') ?? null,
    now: c.get('now').toISOString(),
    audit: requestAuditDraft(c, {}),
  });
  const subject = decision.nhsNumber ? { nhsNumber: decision.nhsNumber, flagId: id } : {};
  if (!decision.ok) return { outcome: decision.error, subject };
  return { written: decision.value.flag, status: 200, kind: 'RESOURCE_UPDATED', subject };
}
