/**
 * What the patient directory knows of a patient (D-7, D-8): birth date and
 * gender, and nothing else. One schema validates what every directory
 * adapter returns, so a stored `"M"` or a misspelt gender can never slip
 * past the gender rule.
 */
import * as v from 'valibot';
import { isJsonObject } from '../json/index.ts';

/** FHIR AdministrativeGender codes (PDS "indeterminate" is `other`). */
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;

/** FHIR AdministrativeGender as the patient directory reports it. */
export type Gender = (typeof GENDERS)[number];

/**
 * A patient's demographics: `birthDate` (a FHIR date, possibly partial) and
 * `gender`, each optional; any other key is ignored.
 */
export const PatientDemographicsSchema = v.object({
  birthDate: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$/, 'birthDate is a FHIR date'))),
  gender: v.optional(v.picklist(GENDERS, 'gender is female, male, other or unknown')),
});

/** What the patient directory knows of a patient (D-8). */
export type PatientDemographics = v.InferOutput<typeof PatientDemographicsSchema>;

/**
 * Reads demographics from a directory record: the sandbox directory's
 * `{ birthDate, gender }` or a FHIR `Patient` resource (PDS), whose other
 * elements are ignored.
 *
 * @returns the demographics, or `undefined` when the record is malformed
 *   (the directory's fault: a dependency failure, never a rule decision).
 */
export function parsePatientDemographics(record: unknown): PatientDemographics | undefined {
  if (!isJsonObject(record)) return undefined;
  if (Object.hasOwn(record, 'resourceType') && record.resourceType !== 'Patient') return undefined;
  const result = v.safeParse(PatientDemographicsSchema, record);
  return result.success ? result.output : undefined;
}
