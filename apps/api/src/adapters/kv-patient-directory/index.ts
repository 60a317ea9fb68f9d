import type { PatientDemographics } from '@fgm-is/rules';
import { guardDependency } from '../../ports/errors.ts';
import type { PatientDirectory } from '../../ports/patient-directory.ts';

/** KV key of a patient in the directory. */
export const patientKey = (nhsNumber: string) => `patient:${nhsNumber}`;

/** The KV patient directory (D-8, the local default): `patient:{nhsNumber}` → `{ birthDate?, gender? }`. */
export function kvPatientDirectory(kv: KVNamespace): PatientDirectory {
  return {
    lookup: (nhsNumber) => guardDependency('kv', () => kv.get<PatientDemographics>(patientKey(nhsNumber), 'json')),
  };
}
