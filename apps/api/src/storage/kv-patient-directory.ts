import { parsePatientDemographics } from '@fgm-is/rules';
import { DependencyUnavailableError, guardDependency } from '../ports/errors.ts';
import type { PatientDirectory } from '../ports/patient-directory.ts';
import { patientKey } from './keys.ts';

/**
 * The KV patient directory (D-8, the local default): `patient:{nhsNumber}`
 * → `{ birthDate?, gender? }`, validated by the rules' one demographics
 * schema: a malformed record is the directory's fault (503), never data.
 */
export function kvPatientDirectory(kv: KVNamespace): PatientDirectory {
  return {
    async lookup(nhsNumber) {
      const stored = await guardDependency('kv', () => kv.get(patientKey(nhsNumber), 'json'));
      if (stored === null) return null;
      const demographics = parsePatientDemographics(stored);
      if (!demographics) throw new DependencyUnavailableError('patient-directory');
      return demographics;
    },
  };
}
