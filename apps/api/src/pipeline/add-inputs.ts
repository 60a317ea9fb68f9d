/**
 * What an Add needs from outside the ledger, fetched at once (ADR 0002): the
 * patient from the directory (D-8), and the flag the search index holds for
 * the patient now, which a ledger that has never changed this patient uses
 * in place of reading it itself (sandbox seeds, data from before the ledger).
 */
import type { FlagRecord, PatientDemographics } from '@fgm-is/rules';
import type { FlagStore } from '../ports/flag-store.ts';
import type { PatientDirectory } from '../ports/patient-directory.ts';

/** The directory's answer, and the index's flag (`undefined` when that read failed: the ledger then reads itself). */
export interface AddInputs {
  readonly patient: PatientDemographics | null;
  readonly stored: FlagRecord | null | undefined;
}

/**
 * Looks the patient up (with our request id as the directory's correlation
 * id) and reads the index at the same time. A directory
 * failure is thrown (503, D-12); an index failure is not, so that it can
 * never change which refusal an Add gets (D-6): the ledger reads it again.
 */
export async function addInputs(patients: PatientDirectory, flags: FlagStore, nhsNumber: string, requestId: string): Promise<AddInputs> {
  const [patient, stored] = await Promise.all([
    patients.lookup(nhsNumber, { correlationId: requestId }),
    flags.getActive(nhsNumber).catch(() => undefined),
  ]);
  return { patient, stored };
}
