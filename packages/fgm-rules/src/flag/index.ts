/**
 * The FGM indicator: its fixed codes (spec §4, §5), the stored record, and
 * the rules for which flag counts as current.
 */
import * as v from 'valibot';
import type { FgmFlag, RemovalExtension } from '../fhir/index.ts';
import { isJsonObject } from '../json/index.ts';

/** NHS number identifier system. */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
/** SNOMED CT system. */
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
/** SNOMED CT "Family history of FGM (female genital mutilation)". */
export const FGM_CODE = '902961000000107';
/** The display (and `code.text`) of {@link FGM_CODE}. */
export const FGM_DISPLAY = 'Family history of FGM (female genital mutilation)';

/** Removal-reason extension URLs accepted on Remove: the canonical one first, then the guide example's (spec §5, D-9). */
export const REMOVAL_EXTENSION_URLS = [
  'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
  'https://fhir.nhs.uk/StructureDefinition/Extension-England-FGMRemovalReason',
] as const;

/** @internal A JSON object whose `resourceType` is `Flag`. */
const FlagBodySchema = v.looseObject({ resourceType: v.literal('Flag') });

/**
 * Whether a request body is a JSON object with `resourceType` `Flag` (the
 * first check of both Add and Remove, D-6 and D-9).
 *
 * @internal
 */
export function isFlagBody(body: unknown): body is Record<string, unknown> & { resourceType: 'Flag' } {
  return isJsonObject(body) && v.is(FlagBodySchema, body);
}

/**
 * An element that is a removal-reason extension, whatever its value (A7 on
 * Add, R3 on Remove).
 *
 * @internal
 */
export const RemovalExtensionUrlSchema = v.object({ url: v.picklist(REMOVAL_EXTENSION_URLS) });

/** Removal-reason code systems accepted on Remove: canonical, then the pre-October-2023 URL. */
export const REMOVAL_REASON_SYSTEMS = [
  'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason',
  'https://fhir.nhs.uk/CodeSystem/England-FGMRemovalReason',
] as const;

/** Removal-reason codes of the R4 code system and their displays (there is no code `1`). */
export const REMOVAL_REASONS = {
  '0': 'Added in error - this child does not have a family history of FGM',
  '2': 'No longer required - this child has had FGM',
} as const;

/**
 * A Flag as the service stores it: the FHIR resource plus the facts the
 * service needs without parsing it (whose flag it is and when it ages out).
 */
export interface FlagRecord {
  readonly flag: FgmFlag;
  /** The patient's NHS number (also in `flag.subject.identifier.value`). */
  readonly nhsNumber: string;
  /** The date the patient turns 18 (D-13): from then on search never returns the flag. */
  readonly agesOutOn: string;
}

/**
 * Whether a stored flag is the patient's current indicator on `today`:
 * active and the patient not yet 18 (D-10, D-13).
 */
export function isCurrentFlag(record: FlagRecord, today: string): boolean {
  return record.flag.status === 'active' && today < record.agesOutOn;
}

/** The inputs of a new Flag (the validated Add request plus server-assigned facts). */
export interface NewFlagInput {
  readonly id: string;
  readonly nhsNumber: string;
  readonly assessmentDate: string;
  /** ISO instant of creation, for `meta.lastUpdated`. */
  readonly lastUpdated: string;
}

/** Builds the stored and returned form of a newly created FGM flag (version 1). */
export function buildActiveFlag(input: NewFlagInput): FgmFlag {
  return {
    resourceType: 'Flag',
    id: input.id,
    meta: { versionId: '1', lastUpdated: input.lastUpdated },
    status: 'active',
    code: { coding: [{ system: SNOMED_SYSTEM, code: FGM_CODE, display: FGM_DISPLAY }], text: FGM_DISPLAY },
    subject: { identifier: { system: NHS_NUMBER_SYSTEM, value: input.nhsNumber } },
    period: { start: input.assessmentDate },
  };
}

/** Builds the removed version of a flag: only status, the removal extension and `meta` change. */
export function buildRemovedFlag(
  current: FgmFlag,
  status: 'inactive' | 'entered-in-error',
  extension: RemovalExtension,
  lastUpdated: string,
): FgmFlag {
  const { resourceType, id, code, subject, period } = current;
  return {
    resourceType,
    id,
    meta: { versionId: String(Number(current.meta.versionId) + 1), lastUpdated },
    extension: [extension],
    status,
    code,
    subject,
    period,
  };
}

const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

/** Whether a value is a FHIR `id` (1–64 of `A-Z a-z 0-9 - .`); any other URL id names no flag. */
export function isFhirId(value: unknown): value is string {
  return typeof value === 'string' && FHIR_ID.test(value);
}
