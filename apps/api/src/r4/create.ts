/**
 * Add (D-1, D-6, D-7): `POST /Flag` → 201 with Location, ETag and Last-Modified.
 */
import { londonDate, validateAddBody } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { EnvWith } from '../app-env.ts';
import { addInputs } from '../pipeline/add-inputs.ts';
import { type AuditVariables, requestAuditDraft } from '../pipeline/audit.ts';
import type { UserVariables } from '../pipeline/authenticate.ts';
import { orFailure } from '../pipeline/failure.ts';
import type { BodyVariables } from '../pipeline/json-body.ts';
import { type R4Answer, baseUrlOf } from '../pipeline/respond.ts';

/**
 * The body is checked by the rules; the patient directory is asked for age
 * and gender; the patient's ledger decides the rest and writes, committing
 * the audit record drafted here with the change.
 */
export async function createFlag(c: Context<EnvWith<AuditVariables & UserVariables & BodyVariables>>): Promise<R4Answer> {
  const { writer, patients, flags, newId } = c.get('services');
  const now = c.get('now');
  const request = validateAddBody(c.get('body'), londonDate(now));
  if (!request.ok) return { outcome: request.error };
  const { nhsNumber } = request.value;
  return orFailure(
    async (): Promise<R4Answer> => {
      const inputs = await addInputs(patients, flags, nhsNumber, c.get('requestId'));
      const audit = requestAuditDraft(c, { nhsNumber });
      const decision = await writer.add({ request: request.value, ...inputs, id: newId(), now: now.toISOString(), audit });
      if (!decision.ok) return { outcome: decision.error, subject: { nhsNumber } };
      const { flag } = decision.value;
      return {
        written: flag,
        status: 201,
        kind: 'RESOURCE_CREATED',
        headers: { Location: `${baseUrlOf(c)}/Flag/${flag.id}` },
        subject: { nhsNumber, flagId: flag.id },
      };
    },
    (failure) => ({ failure, subject: { nhsNumber } }),
  );
}
