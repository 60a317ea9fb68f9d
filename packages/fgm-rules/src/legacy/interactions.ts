/**
 * The legacy interactions' own rules (L-5, L-6, L-7, L-11.1, L-11.7): what
 * a query, create or delete message says, checked in the contract's order
 * and reduced to the requests the R4 decisions already take (L-1).
 */
import type { AddRequest } from '../add/index.ts';
import { readDateTime } from '../calendar/index.ts';
import { REMOVAL_EXTENSION_URLS, REMOVAL_REASON_SYSTEMS } from '../flag/index.ts';
import { isValidNhsNumber } from '../nhs-number/index.ts';
import { type RemoveBody, parseRemoveBody } from '../remove/index.ts';
import { legacyOutcome } from './catalogue.ts';
import type { LegacyResult } from './envelope.ts';
import { type XmlElement, childValue, childrenNamed, onlyChild, valueAt, wrappedResource } from './message.ts';

/** The NHS number identifier system of the messaging API (DSTU2). */
export const LEGACY_NHS_NUMBER_SYSTEM = 'http://fhir.nhs.net/Id/nhs-number';
/** The risk-indicator code system of a legacy Flag. */
export const RISK_INDICATOR_SYSTEM = 'http://fhir.nhs.net/ValueSet/risk-indicator-type-1-0';
/** The delete-reason code system of the messaging API. */
export const DELETE_REASON_SYSTEM = 'http://fhir.nhs.net/ValueSet/fgm-delete-reason-codes-1-0';
const ODS_CODE = 'http://fhir.nhs.net/Id/ods-organization-code';
const GP_PRACTICE = /^[A-Za-z0-9]{1,12}$/;
const FHIR_DATE = /^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$/;

const fail = (key: 'INVALID_PARAMETER' | 'INVALID_NHS_NUMBER', diagnostics: string) =>
  ({ ok: false, error: legacyOutcome(key, diagnostics) }) as const;

/** @internal The one parameter called `name`, or the INVALID_PARAMETER saying why not. */
function parameter(parameters: XmlElement, name: string): LegacyResult<XmlElement> {
  const found = childrenNamed(parameters, 'parameter').filter((candidate) => childValue(candidate, 'name') === name);
  if (found.length === 0) return fail('INVALID_PARAMETER', `${name} parameter missing`);
  if (found.length > 1 || !found[0]) return fail('INVALID_PARAMETER', `${name} parameter given more than once`);
  return { ok: true, value: found[0] };
}

/** @internal `RiskIndicator` (exactly once, exactly `FGM`), then `NHSNumber` (exactly once, a valueString, a valid NHS number): L-11.1. */
function riskAndNhsNumber(parameters: XmlElement): LegacyResult<string> {
  const risk = parameter(parameters, 'RiskIndicator');
  if (!risk.ok) return risk;
  if (childValue(risk.value, 'valueString') !== 'FGM') return fail('INVALID_PARAMETER', 'RiskIndicator must be FGM');
  const nhs = parameter(parameters, 'NHSNumber');
  if (!nhs.ok) return nhs;
  const nhsNumber = childValue(nhs.value, 'valueString');
  if (nhsNumber === undefined) return fail('INVALID_PARAMETER', 'NHSNumber parameter must have a valueString');
  if (!isValidNhsNumber(nhsNumber)) return fail('INVALID_NHS_NUMBER', 'NHSNumber is not a valid NHS number');
  return { ok: true, value: nhsNumber };
}

/** A query's request (L-5): the NHS number whose active flag is wanted. */
export function parseLegacyQuery(parameters: XmlElement): LegacyResult<{ readonly nhsNumber: string }> {
  const nhsNumber = riskAndNhsNumber(parameters);
  return nhsNumber.ok ? { ok: true, value: { nhsNumber: nhsNumber.value } } : nhsNumber;
}

/** The delete reasons of the messaging API that the register accepts (L-7): `1` is refused. */
export type LegacyDeleteReason = '0' | '2';

/** A delete's request (L-7): whose flag, and why. */
export interface LegacyDelete {
  readonly nhsNumber: string;
  readonly reason: LegacyDeleteReason;
}

/** A delete's request (L-7, L-11.1): RiskIndicator → NHSNumber → NHS number check → FGMDeleteReason. */
export function parseLegacyDelete(parameters: XmlElement): LegacyResult<LegacyDelete> {
  const nhsNumber = riskAndNhsNumber(parameters);
  if (!nhsNumber.ok) return nhsNumber;
  const reason = parameter(parameters, 'FGMDeleteReason');
  if (!reason.ok) return reason;
  const codings = childrenNamed(onlyChild(reason.value, 'valueCodeableConcept') ?? reason.value, 'coding');
  if (!onlyChild(reason.value, 'valueCodeableConcept') || codings.length !== 1) {
    return fail('INVALID_PARAMETER', 'FGMDeleteReason must be a valueCodeableConcept with exactly one coding');
  }
  const coding = codings[0];
  if (childValue(coding, 'system') !== DELETE_REASON_SYSTEM)
    return fail('INVALID_PARAMETER', `FGMDeleteReason coding system must be ${DELETE_REASON_SYSTEM}`);
  const code = childValue(coding, 'code');
  if (code === '1') return fail('INVALID_PARAMETER', 'FGMDeleteReason 1 is not accepted: a family history of FGM does not lapse; use 0 or 2');
  if (code !== '0' && code !== '2') return fail('INVALID_PARAMETER', 'FGMDeleteReason code must be 0, 1 or 2');
  return { ok: true, value: { nhsNumber: nhsNumber.value, reason: code } };
}

/**
 * A legacy delete as the R4 Remove of the patient's flag `flagId` (L-7): the
 * reason translated into the R4 removal extension in canonical form (`0` →
 * `entered-in-error`, code 0; `2` → `inactive`, code 2), read by the same
 * rule that reads an R4 Remove body.
 */
export function legacyRemoval(reason: LegacyDeleteReason, flagId: string): RemoveBody {
  return parseRemoveBody({
    resourceType: 'Flag',
    id: flagId,
    status: reason === '0' ? 'entered-in-error' : 'inactive',
    extension: [{ url: REMOVAL_EXTENSION_URLS[0], valueCoding: { system: REMOVAL_REASON_SYSTEMS[0], code: reason } }],
  });
}

/** A create's request (L-6): the R4 Add request, and what the message says that only the audit trail keeps. */
export interface LegacyCreate {
  readonly request: AddRequest;
  /** The contained Patient's birthDate, recorded in the audit record, never trusted over the directory. */
  readonly messageBirthDate: string | undefined;
  /** The GP practice code of the contained GP Organization, recorded in the audit record. */
  readonly gpPractice: string | undefined;
}

/** @internal The contained resource `#id` names on a resource. */
function contained(resource: XmlElement, reference: string | undefined): XmlElement | undefined {
  if (reference === undefined || !reference.startsWith('#')) return undefined;
  const id = reference.slice(1);
  const found = childrenNamed(resource, 'contained')
    .map((wrapper) => wrappedResource(wrapper))
    .filter((candidate) => candidate !== undefined && childValue(candidate, 'id') === id);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * A create's Flag (L-6, L-11.7), checked in the contract's order: its shape
 * (no modifierExtension, the one FGM risk-indicator coding, status active,
 * a `period.start` that is a real date or instant ({@link readDateTime}) not
 * after today, and no `period.end`, a subject that
 * is a contained Patient with exactly one NHS number), then the NHS number,
 * then the Patient's birthDate. The directory decides the rest, as for R4.
 *
 * @param today Today's date in Europe/London.
 */
export function parseLegacyCreate(flag: XmlElement, today: string): LegacyResult<LegacyCreate> {
  if (childrenNamed(flag, 'modifierExtension').length > 0) return fail('INVALID_PARAMETER', 'Flag.modifierExtension is not allowed');
  const codings = childrenNamed(onlyChild(flag, 'code') ?? flag, 'coding');
  const coding = codings[0];
  if (
    !onlyChild(flag, 'code') ||
    codings.length !== 1 ||
    childValue(coding, 'system') !== RISK_INDICATOR_SYSTEM ||
    childValue(coding, 'code') !== 'FGM'
  ) {
    return fail('INVALID_PARAMETER', `Flag.code must hold exactly one coding: system ${RISK_INDICATOR_SYSTEM}, code FGM`);
  }
  if (childValue(flag, 'status') !== 'active') return fail('INVALID_PARAMETER', 'Flag.status must be active');
  const period = onlyChild(flag, 'period');
  if (period && childrenNamed(period, 'end').length > 0) return fail('INVALID_PARAMETER', 'Flag.period.end must be absent');
  // A date, or a dateTime naming a real instant whose date part (in its own offset) is the assessment date (L-6, L-11.5).
  const start = readDateTime(childValue(period, 'start'))?.date;
  if (start === undefined || start > today) {
    return fail('INVALID_PARAMETER', 'Flag.period.start must be a real date (or dateTime), not after today');
  }
  const patient = contained(flag, valueAt(flag, 'subject', 'reference'));
  if (patient?.name !== 'Patient') return fail('INVALID_PARAMETER', 'Flag.subject.reference must be #id of a contained Patient');
  const numbers = childrenNamed(patient, 'identifier').filter((identifier) => childValue(identifier, 'system') === LEGACY_NHS_NUMBER_SYSTEM);
  if (numbers.length !== 1)
    return fail('INVALID_PARAMETER', `The contained Patient must carry exactly one identifier of system ${LEGACY_NHS_NUMBER_SYSTEM}`);
  const nhsNumber = childValue(numbers[0], 'value');
  if (!isValidNhsNumber(nhsNumber)) return fail('INVALID_NHS_NUMBER', "The contained Patient's NHS number is not a valid NHS number");
  const birthDate = childValue(patient, 'birthDate');
  if (birthDate === undefined) return fail('INVALID_PARAMETER', 'The contained Patient must carry a birthDate');
  const practice = contained(flag, valueAt(patient, 'careProvider', 'reference'));
  const gpCodes = practice?.name === 'Organization' ? childrenNamed(practice, 'identifier').filter((i) => childValue(i, 'system') === ODS_CODE) : [];
  const gpPractice = gpCodes.length === 1 ? childValue(gpCodes[0], 'value') : undefined;
  return {
    ok: true,
    value: {
      request: { nhsNumber, assessmentDate: start },
      messageBirthDate: FHIR_DATE.test(birthDate) ? birthDate : undefined,
      gpPractice: gpPractice !== undefined && GP_PRACTICE.test(gpPractice) ? gpPractice : undefined,
    },
  };
}
