/**
 * Add (D-6, D-7): validate a Flag body in the spec's order, then decide
 * against the patient directory and the current flag.
 */
import * as v from 'valibot';
import { eighteenthBirthday, isCalendarDate, readDateTime } from '../calendar/index.ts';
import { catalogue } from '../catalogue/index.ts';
import {
  FGM_CODE,
  type FlagRecord,
  NHS_NUMBER_SYSTEM,
  RemovalExtensionUrlSchema,
  SNOMED_SYSTEM,
  buildActiveFlag,
  isCurrentFlag,
  isFlagBody,
} from '../flag/index.ts';
import { NhsNumberSchema } from '../nhs-number/index.ts';
import type { PatientDemographics } from '../patient/index.ts';
import { type Result, fail, ok } from '../result/index.ts';

// Each step's schema declares only the keys it reads (`object` neither copies
// nor looks at the rest of the body), and every schema is built once, here.

/** @internal A1: the subject's NHS number. */
export const SubjectSchema = v.object({
  subject: v.object({
    identifier: v.object({ system: v.literal(NHS_NUMBER_SYSTEM), value: NhsNumberSchema }),
  }),
});

/** @internal A2: one coding that is SNOMED CT 902961000000107. */
const FgmCodingSchema = v.object({ system: v.literal(SNOMED_SYSTEM), code: v.literal(FGM_CODE) });

/** @internal A2: some coding is SNOMED CT 902961000000107. */
export const CodeSchema = v.object({
  code: v.object({
    coding: v.pipe(
      v.array(v.unknown()),
      v.someItem((coding) => v.is(FgmCodingSchema, coding)),
    ),
  }),
});

/** @internal A3. */
export const ActiveStatusSchema = v.object({ status: v.literal('active') });

/**
 * @internal Assessment date: a calendar date `YYYY-MM-DD` (D-6), read by the
 * one dateTime rule both channels share, with no time allowed; checked
 * against today separately.
 */
export const PeriodSchema = v.object({
  period: v.object({
    start: v.pipe(
      v.string(),
      v.check((value: string) => readDateTime(value)?.hasTime === false),
    ),
  }),
});

/** A structurally valid Add request: what the rest of the decision needs from the body. */
export interface AddRequest {
  readonly nhsNumber: string;
  /** `period.start`, a calendar date not after today. */
  readonly assessmentDate: string;
}

/** @internal Whether the body carries a removal-reason extension (in an array, or hostilely as a lone object). */
function hasRemovalExtension(body: Record<string, unknown>): boolean {
  const extension = Object.hasOwn(body, 'extension') ? body.extension : undefined;
  // The usual Add has no extension; a failing valibot check builds an issue (with its message), so skip it.
  if (extension === undefined) return false;
  const list = Array.isArray(extension) ? extension : [extension];
  return list.some((item) => v.is(RemovalExtensionUrlSchema, item));
}

/**
 * Validates an Add body in the order of D-6, up to the patient lookup.
 *
 * @param body The parsed JSON body (any value).
 * @param today Today's date in Europe/London (`YYYY-MM-DD`).
 * @returns the NHS number and assessment date, or the first failing entry.
 */
export function validateAddBody(body: unknown, today: string): Result<AddRequest> {
  if (!isFlagBody(body)) return fail(catalogue.INVALID_BODY);
  if (Object.hasOwn(body, 'id')) return fail(catalogue.ID_ON_CREATE);
  const subject = v.safeParse(SubjectSchema, body);
  if (!subject.success) return fail(catalogue.A1);
  if (!v.is(CodeSchema, body)) return fail(catalogue.A2);
  if (!v.is(ActiveStatusSchema, body)) return fail(catalogue.A3);
  if (hasRemovalExtension(body)) return fail(catalogue.A7);
  const period = v.safeParse(PeriodSchema, body);
  if (!period.success || period.output.period.start > today) return fail(catalogue.INVALID_ASSESSMENT_DATE);
  return ok({ nhsNumber: subject.output.subject.identifier.value, assessmentDate: period.output.period.start });
}

/** Inputs of {@link decideAdd}. */
export interface AddDecisionInput {
  readonly request: AddRequest;
  /** The directory's record, or `null` when the NHS number is unknown to it. */
  readonly patient: PatientDemographics | null;
  /** The patient's stored active flag, if any. */
  readonly activeFlag: FlagRecord | null;
  /** Today's date in Europe/London. */
  readonly today: string;
  /** Server-assigned id for the new Flag (inject a UUID). */
  readonly id: string;
  /** ISO instant of creation. */
  readonly now: string;
}

/**
 * Decides an Add after the patient lookup (D-6, D-7, D-19): unknown patient
 * (A1), an assessment dated before the directory's birth date, age (A4),
 * gender (A5), duplicate (A6); else the new flag record.
 */
export function decideAdd(input: AddDecisionInput): Result<FlagRecord> {
  const { request, patient, activeFlag, today } = input;
  if (patient === null) return fail(catalogue.A1);
  if (patient.birthDate !== undefined && isCalendarDate(patient.birthDate) && request.assessmentDate < patient.birthDate) {
    return fail(catalogue.INVALID_ASSESSMENT_DATE);
  }
  const agesOutOn = patient.birthDate === undefined ? undefined : eighteenthBirthday(patient.birthDate);
  if (agesOutOn === undefined || today >= agesOutOn) return fail(catalogue.A4);
  if (patient.gender === 'male') return fail(catalogue.A5);
  if (activeFlag && isCurrentFlag(activeFlag, today)) return fail(catalogue.A6);
  const flag = buildActiveFlag({ id: input.id, nhsNumber: request.nhsNumber, assessmentDate: request.assessmentDate, lastUpdated: input.now });
  return ok({ flag, nhsNumber: request.nhsNumber, agesOutOn });
}
