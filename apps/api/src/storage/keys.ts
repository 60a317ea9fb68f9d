/**
 * The Workers KV key layout, in one place for the adapters, the sandbox
 * seeder, the tests and the bench:
 *
 * - `FLAGS`: `flag:{id}` → every version's record by id; `active:{nhsNumber}`
 *   → the patient's current flag (the search index), with `{ flagId, agesOutOn }` metadata.
 * - `PATIENTS`: `patient:{nhsNumber}` → `{ birthDate?, gender? }` (the sandbox patient directory).
 */

/** Prefix of the search index's keys. */
export const ACTIVE_PREFIX = 'active:';

/** Prefix of the keys of flags by id. */
export const FLAG_PREFIX = 'flag:';

/** KV key of a flag by id. */
export const flagKey = (id: string): string => `${FLAG_PREFIX}${id}`;

/** KV key of a patient's search-index entry. */
export const activeKey = (nhsNumber: string): string => `${ACTIVE_PREFIX}${nhsNumber}`;

/** KV key of a patient in the sandbox directory. */
export const patientKey = (nhsNumber: string): string => `patient:${nhsNumber}`;
