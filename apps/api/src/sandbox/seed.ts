import { type FlagRecord, type PatientDemographics, buildActiveFlag, eighteenthBirthday } from '@fgm-is/rules';
import type { FlagStore } from '../ports/flag-store.ts';
import { patientKey } from '../storage/keys.ts';
import fixtures from './fixtures.json' with { type: 'json' };

/** The sandbox data of spec §15: the patient directory and the initial flags. */
export interface SandboxFixtures {
  readonly patients: Readonly<Record<string, PatientDemographics>>;
  readonly flags: readonly { id: string; nhsNumber: string; assessmentDate: string; lastUpdated: string }[];
}

/** The spec §15 fixtures. */
const sandboxFixtures = fixtures as SandboxFixtures;

/** @internal The flag records the fixtures describe. */
function fixtureFlagRecords(data: SandboxFixtures = sandboxFixtures): FlagRecord[] {
  return data.flags.map((f) => {
    const birthDate = data.patients[f.nhsNumber]?.birthDate;
    const agesOutOn = birthDate ? eighteenthBirthday(birthDate) : undefined;
    if (!agesOutOn) throw new Error(`sandbox flag ${f.id} needs a patient with a birth date`);
    return {
      nhsNumber: f.nhsNumber,
      agesOutOn,
      flag: buildActiveFlag({ id: f.id, nhsNumber: f.nhsNumber, assessmentDate: f.assessmentDate, lastUpdated: f.lastUpdated }),
    };
  });
}

/**
 * Loads the sandbox idempotently: the directory's patients are (re)written;
 * a fixture flag is created only when no flag with its id exists, so running
 * it again never duplicates a flag nor undoes a removal made while serving
 * (`npm run sandbox:reset` starts afresh).
 *
 * @returns how many fixture flags were created.
 */
export async function seedSandbox(target: { flags: FlagStore; patients: KVNamespace }, data: SandboxFixtures = sandboxFixtures): Promise<number> {
  await Promise.all(Object.entries(data.patients).map(([nhsNumber, patient]) => target.patients.put(patientKey(nhsNumber), JSON.stringify(patient))));
  let created = 0;
  for (const record of fixtureFlagRecords(data)) {
    if ((await target.flags.getById(record.flag.id)) === null) {
      await target.flags.create(record);
      created++;
    }
  }
  return created;
}
