/**
 * Remove (D-9, D-18): `PUT /Flag/{id}` changes an active flag's status and
 * records the one removal reason, in canonical form.
 */
import * as v from 'valibot';
import { catalogue, headParameterError } from '../catalogue/index.ts';
import type { RemovalExtension } from '../fhir/index.ts';
import {
  type FlagRecord,
  REMOVAL_EXTENSION_URLS,
  REMOVAL_REASONS,
  REMOVAL_REASON_SYSTEMS,
  RemovalExtensionUrlSchema,
  buildRemovedFlag,
  isFlagBody,
} from '../flag/index.ts';
import { ifMatchAdmits, parseIfMatch } from '../http/index.ts';
import { type Result, fail, ok } from '../result/index.ts';

/** @internal A supported removal-reason coding: one of the two systems and a code of §5. */
export const ReasonCodingSchema = v.object({
  system: v.picklist(REMOVAL_REASON_SYSTEMS),
  code: v.picklist(Object.keys(REMOVAL_REASONS) as ['0', '2']),
});

/** @internal Status values a removal may set. */
export const RemovedStatusSchema = v.picklist(['inactive', 'entered-in-error']);

/** @internal The extension's value, as the client wrote it: `valueCoding`, or `valueCodeableConcept` with exactly one coding. */
const ReasonValueSchema = v.union([
  v.object({ url: v.picklist(REMOVAL_EXTENSION_URLS), valueCoding: v.unknown() }),
  v.object({ url: v.picklist(REMOVAL_EXTENSION_URLS), valueCodeableConcept: v.object({ coding: v.strictTuple([v.unknown()]) }) }),
]);

/**
 * What a Remove body says, reduced to the facts D-9 decides on: small,
 * plain and bounded whatever the client sent, so it can be passed on (to a
 * Durable Object, a queue) where the raw body could not.
 */
export interface RemoveBody {
  /** Whether the body is a JSON object with `resourceType` `Flag`. */
  readonly isFlag: boolean;
  /** `id`, when it is a string of at most 64 characters (longer ones can never match a FHIR id). */
  readonly id: string | undefined;
  /** Whether some extension has a removal-reason URL. */
  readonly reasonPresent: boolean;
  /** `status`, when it is one a removal may set. */
  readonly status: 'inactive' | 'entered-in-error' | undefined;
  /** The removal reason in the canonical form it is stored in, when the body holds exactly one supported coding (D-18). */
  readonly extension: RemovalExtension | undefined;
}

/**
 * The stored form of a removal reason (D-18): the URL and value form the
 * client used, its one coding reduced to `system`, `code` and the canonical
 * display of §5; the client's display, a CodeableConcept's `text` and any
 * other element dropped. `undefined` when the extension holds anything but
 * exactly one supported coding (several codings, both value forms, none).
 *
 * @internal
 */
function canonicalReason(element: Record<string, unknown>): RemovalExtension | undefined {
  if (Object.hasOwn(element, 'valueCoding') && Object.hasOwn(element, 'valueCodeableConcept')) return undefined;
  const value = v.safeParse(ReasonValueSchema, element);
  if (!value.success) return undefined;
  const { url } = value.output;
  const written = 'valueCoding' in value.output ? value.output.valueCoding : value.output.valueCodeableConcept.coding[0];
  const coding = v.safeParse(ReasonCodingSchema, written);
  if (!coding.success) return undefined;
  const reason = { system: coding.output.system, code: coding.output.code, display: REMOVAL_REASONS[coding.output.code] };
  return 'valueCoding' in value.output ? { url, valueCoding: reason } : { url, valueCodeableConcept: { coding: [reason] } };
}

/** Reads a Remove body (any JSON value) into a {@link RemoveBody}. Never throws. */
export function parseRemoveBody(body: unknown): RemoveBody {
  if (!isFlagBody(body)) return { isFlag: false, id: undefined, reasonPresent: false, status: undefined, extension: undefined };
  const id = Object.hasOwn(body, 'id') && typeof body.id === 'string' && body.id.length <= 64 ? body.id : undefined;
  const extensions = Object.hasOwn(body, 'extension') && Array.isArray(body.extension) ? body.extension : [];
  const reasons = extensions.filter((item): item is Record<string, unknown> => v.is(RemovalExtensionUrlSchema, item));
  const status = Object.hasOwn(body, 'status') && v.is(RemovedStatusSchema, body.status) ? body.status : undefined;
  return {
    isFlag: true,
    id,
    reasonPresent: reasons.length > 0,
    status,
    // Two removal-reason extensions are two codings: one reason, never a choice between several (D-18).
    extension: reasons.length === 1 && reasons[0] ? canonicalReason(reasons[0]) : undefined,
  };
}

/** Inputs of {@link decideRemoval}. */
export interface RemovalDecisionInput {
  /** `{id}` from the URL. */
  readonly id: string;
  /** The body, read by {@link parseRemoveBody}. */
  readonly removal: RemoveBody;
  /** The stored flag with that id, or `null`. */
  readonly record: FlagRecord | null;
  /** The If-Match header, or `null` when absent. */
  readonly ifMatch: string | null;
  /** ISO instant of the update. */
  readonly now: string;
}

/**
 * Decides a Remove in the order of D-9: body is a Flag → the flag exists and
 * is active (R1) → If-Match (malformed R4, stale 412) → ids agree (R2) →
 * removal reason present (R3) → status → reason code.
 *
 * @returns the updated record (status, extension, versionId + 1), or the first failing entry.
 */
export function decideRemoval(input: RemovalDecisionInput): Result<FlagRecord> {
  const { removal, record } = input;
  if (!removal.isFlag) return fail(catalogue.INVALID_BODY);
  if (record?.flag.status !== 'active') return fail(catalogue.R1);
  if (input.ifMatch !== null) {
    const ifMatch = parseIfMatch(input.ifMatch);
    if (!ifMatch) return fail(headParameterError('remove'));
    if (!ifMatchAdmits(ifMatch, record.flag.meta.versionId)) return fail(catalogue.VERSION_MISMATCH);
  }
  if (removal.id !== input.id) return fail(catalogue.R2);
  if (!removal.reasonPresent) return fail(catalogue.R3);
  if (!removal.status) return fail(catalogue.REMOVE_STATUS);
  if (!removal.extension) return fail(catalogue.REMOVAL_REASON_CODE);
  return ok({ ...record, flag: buildRemovedFlag(record.flag, removal.status, removal.extension, input.now) });
}

/** Inputs of {@link decideRemove}. */
export interface RemoveDecisionInput extends Omit<RemovalDecisionInput, 'removal'> {
  /** The parsed JSON body (any value). */
  readonly body: unknown;
}

/** {@link decideRemoval} straight from a parsed JSON body. */
export function decideRemove(input: RemoveDecisionInput): Result<FlagRecord> {
  const { body, ...rest } = input;
  return decideRemoval({ ...rest, removal: parseRemoveBody(body) });
}
