/**
 * Remove (D-9): `PUT /Flag/{id}` changes an active flag's status and records
 * the removal reason.
 */
import * as v from 'valibot';
import { catalogue, headParameterError } from '../catalogue/index.ts';
import { type RemovalExtension, RemovalExtensionCodingSchema, RemovalExtensionConceptSchema } from '../fhir/index.ts';
import { type FlagRecord, REMOVAL_EXTENSION_URLS, REMOVAL_REASONS, REMOVAL_REASON_SYSTEMS, buildRemovedFlag } from '../flag/index.ts';
import { ifMatchAdmits, parseIfMatch } from '../http/index.ts';
import { isJsonObject } from '../json/index.ts';
import { type Result, fail, ok } from '../result/index.ts';

/** @internal A JSON object whose `resourceType` is `Flag`. */
const FlagBodySchema = v.looseObject({ resourceType: v.literal('Flag') });

/** @internal The removal-reason extension element, whatever its value. */
const RemovalExtensionUrlSchema = v.looseObject({ url: v.picklist(REMOVAL_EXTENSION_URLS) });

/** @internal A supported removal-reason coding. */
const ReasonCodingSchema = v.looseObject({
  system: v.picklist(REMOVAL_REASON_SYSTEMS),
  code: v.picklist(Object.keys(REMOVAL_REASONS) as ['0', '2']),
});

/** @internal Status values a removal may set. */
const RemovedStatusSchema = v.picklist(['inactive', 'entered-in-error']);

/** Inputs of {@link decideRemove}. */
export interface RemoveDecisionInput {
  /** `{id}` from the URL. */
  readonly id: string;
  /** The parsed JSON body (any value). */
  readonly body: unknown;
  /** The stored flag with that id, or `null`. */
  readonly record: FlagRecord | null;
  /** The If-Match header, or `null` when absent. */
  readonly ifMatch: string | null;
  /** ISO instant of the update. */
  readonly now: string;
}

/**
 * Keeps the accepted extension in the form it arrived in, without any other
 * element the client put inside it.
 *
 * @internal
 */
function acceptedExtension(element: unknown): RemovalExtension | undefined {
  const coding = v.safeParse(RemovalExtensionCodingSchema, element);
  if (coding.success && v.is(ReasonCodingSchema, coding.output.valueCoding)) return coding.output;
  const concept = v.safeParse(RemovalExtensionConceptSchema, element);
  if (concept.success && concept.output.valueCodeableConcept.coding.some((c) => v.is(ReasonCodingSchema, c))) return concept.output;
  return undefined;
}

/**
 * Decides a Remove in the order of D-9: body is a Flag → the flag exists and
 * is active (R1) → If-Match (malformed R4, stale 412) → ids agree (R2) →
 * removal reason present (R3) → status → reason code.
 *
 * @returns the updated record (status, extension, versionId + 1), or the first failing entry.
 */
export function decideRemove(input: RemoveDecisionInput): Result<FlagRecord> {
  const { body, record } = input;
  if (!isJsonObject(body) || !v.is(FlagBodySchema, body)) return fail(catalogue.INVALID_BODY);
  if (record?.flag.status !== 'active') return fail(catalogue.R1);
  if (input.ifMatch !== null) {
    const ifMatch = parseIfMatch(input.ifMatch);
    if (!ifMatch) return fail(headParameterError('remove'));
    if (!ifMatchAdmits(ifMatch, record.flag.meta.versionId)) return fail(catalogue.VERSION_MISMATCH);
  }
  if (!Object.hasOwn(body, 'id') || body.id !== input.id) return fail(catalogue.R2);
  const extensions = Object.hasOwn(body, 'extension') && Array.isArray(body.extension) ? body.extension : [];
  const element = extensions.find((item) => v.is(RemovalExtensionUrlSchema, item));
  if (element === undefined) return fail(catalogue.R3);
  const status = Object.hasOwn(body, 'status') ? body.status : undefined;
  if (!v.is(RemovedStatusSchema, status)) return fail(catalogue.REMOVE_STATUS);
  const extension = acceptedExtension(element);
  if (!extension) return fail(catalogue.REMOVAL_REASON_CODE);
  return ok({ ...record, flag: buildRemovedFlag(record.flag, status, extension, input.now) });
}
