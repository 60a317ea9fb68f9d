/**
 * The legacy Spine messaging errors (legacy contract L§3, L-4, L-8): the
 * Spine 2 DMS v2 codes with their HTTP status, severity, issue type and
 * display, and the second mapping of the R4 decisions onto them (L-1).
 */
import type { CatalogueEntry, ErrorKey } from '../catalogue/index.ts';

/** The legacy interactions, named as the messaging API names them. */
export const LEGACY_INTERACTIONS = ['query', 'create', 'delete'] as const;

/** One legacy interaction. */
export type LegacyInteraction = (typeof LEGACY_INTERACTIONS)[number];

/** The R4 interaction whose permission each legacy interaction needs (L-1): query uses search, create add, delete remove. */
export const LEGACY_PERMISSION = { query: 'search', create: 'add', delete: 'remove' } as const satisfies Record<
  LegacyInteraction,
  'search' | 'add' | 'remove'
>;

/** The code system of every legacy `issue.details.coding` (L§2.4). */
export const SPINE_RESPONSE_CODE_SYSTEM = 'http://fhir.nhs.net/ValueSet/spine-response-code-2-0';

/** A legacy error code. */
export type LegacyCode =
  | 'NO_RECORD_FOUND'
  | 'INVALID_NHS_NUMBER'
  | 'PATIENT_OVER_18'
  | 'INVALID_PARAMETER'
  | 'FLAG_ALREADY_SET'
  | 'MESSAGE_NOT_WELL_FORMED'
  | 'ASID_CHECK_FAILED'
  | 'AUTHOR_CREDENTIALS_ERROR'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** Every HTTP status a legacy error can carry. */
export type LegacyStatus = 400 | 401 | 403 | 404 | 405 | 413 | 422 | 500 | 503;

/** One row of the legacy error table: everything but the diagnostics, which say what exactly was wrong. */
export interface LegacyErrorRow {
  /** Stable key of the row: the code, or the code and its variant (`MESSAGE_NOT_WELL_FORMED/413`). */
  readonly key: string;
  /** Where the contract defines it. */
  readonly source: string;
  readonly status: LegacyStatus;
  readonly severity: 'fatal' | 'error' | 'warning';
  /** FHIR DSTU2 IssueType. */
  readonly issueType: 'not-found' | 'invalid' | 'informational' | 'structure' | 'forbidden' | 'too-costly' | 'exception';
  readonly code: LegacyCode;
  readonly display: string;
}

/** A legacy error as a response carries it: a row and its diagnostics. */
export interface LegacyOutcome extends LegacyErrorRow {
  /** What exactly was wrong, in words a supplier can act on; never an NHS number or internal detail (L-8). */
  readonly diagnostics: string;
}

/** @internal Builds one frozen row. */
function row(
  key: string,
  source: string,
  status: LegacyStatus,
  severity: LegacyErrorRow['severity'],
  issueType: LegacyErrorRow['issueType'],
  code: LegacyCode,
  display: string,
): LegacyErrorRow {
  return Object.freeze({ key, source, status, severity, issueType, code, display });
}

/** The legacy error table: L§3 verbatim, then AUTHOR_CREDENTIALS_ERROR (L§3, L-4), the 405 and 413 forms (L-2, L-11.2) and the faults (L-8). */
export const LEGACY_ERRORS = Object.freeze({
  NO_RECORD_FOUND: row('NO_RECORD_FOUND', 'L§3', 404, 'error', 'not-found', 'NO_RECORD_FOUND', 'No Record Found'),
  INVALID_NHS_NUMBER: row('INVALID_NHS_NUMBER', 'L§3', 400, 'error', 'invalid', 'INVALID_NHS_NUMBER', 'Invalid NHS number'),
  PATIENT_OVER_18: row('PATIENT_OVER_18', 'L§3', 400, 'error', 'invalid', 'PATIENT_OVER_18', 'Patient is over 18'),
  INVALID_PARAMETER: row('INVALID_PARAMETER', 'L§3', 400, 'error', 'invalid', 'INVALID_PARAMETER', 'Invalid parameter'),
  FLAG_ALREADY_SET: row('FLAG_ALREADY_SET', 'L§3', 422, 'warning', 'informational', 'FLAG_ALREADY_SET', 'Flag value was already set'),
  MESSAGE_NOT_WELL_FORMED: row('MESSAGE_NOT_WELL_FORMED', 'L§3', 400, 'error', 'structure', 'MESSAGE_NOT_WELL_FORMED', 'Message not well formed'),
  ASID_CHECK_FAILED: row(
    'ASID_CHECK_FAILED',
    'L§3',
    403,
    'error',
    'forbidden',
    'ASID_CHECK_FAILED',
    "The sender or receiver's ASID is not authorised for this interaction",
  ),
  AUTHOR_CREDENTIALS_ERROR: row(
    'AUTHOR_CREDENTIALS_ERROR',
    'L§3, L-4',
    401,
    'fatal',
    'forbidden',
    'AUTHOR_CREDENTIALS_ERROR',
    'Author credentials error',
  ),
  METHOD_NOT_ALLOWED: row('MESSAGE_NOT_WELL_FORMED/405', 'L-2', 405, 'error', 'structure', 'MESSAGE_NOT_WELL_FORMED', 'Message not well formed'),
  BODY_TOO_LARGE: row('MESSAGE_NOT_WELL_FORMED/413', 'L-2, L-11.2', 413, 'error', 'too-costly', 'MESSAGE_NOT_WELL_FORMED', 'Message not well formed'),
  SERVICE_UNAVAILABLE: row('SERVICE_UNAVAILABLE', 'L-8, L-11.8', 503, 'fatal', 'exception', 'SERVICE_UNAVAILABLE', 'Service unavailable'),
  INTERNAL_SERVER_ERROR: row(
    'INTERNAL_SERVER_ERROR',
    'L-8, L-11.8',
    500,
    'fatal',
    'exception',
    'INTERNAL_SERVER_ERROR',
    'Unexpected internal server error',
  ),
});

/** The key of a row of {@link LEGACY_ERRORS}. */
export type LegacyErrorKey = keyof typeof LEGACY_ERRORS;

/** A legacy error with its diagnostics. */
export function legacyOutcome(key: LegacyErrorKey, diagnostics: string): LegacyOutcome {
  return { ...LEGACY_ERRORS[key], diagnostics };
}

/** The MessageHeader `response.code` of an outcome (L-8): `ok` for the 422 warning, `transient-error` for 503, else `fatal-error`. */
export function responseCodeOf(outcome: LegacyErrorRow): 'ok' | 'transient-error' | 'fatal-error' {
  if (outcome.status === 422) return 'ok';
  return outcome.status === 503 ? 'transient-error' : 'fatal-error';
}

/**
 * The second mapping (L-1): what each R4 decision a legacy interaction can
 * meet becomes on the legacy channel, with diagnostics that say exactly
 * what was wrong. Decisions a legacy message cannot reach (head parameters,
 * tokens, If-Match, the R4 body checks its own shape checks replace) map to
 * the internal error, since reaching them would be a fault of this service.
 */
export const LEGACY_MAPPING: Readonly<Partial<Record<ErrorKey, LegacyOutcome>>> = Object.freeze({
  S1: legacyOutcome('INVALID_NHS_NUMBER', 'NHSNumber is not a valid NHS number'),
  S3: legacyOutcome('ASID_CHECK_FAILED', 'The sender ASID is not authorised for this interaction'),
  A1: legacyOutcome('INVALID_NHS_NUMBER', 'The NHS number is not known to the patient directory'),
  A4: legacyOutcome('PATIENT_OVER_18', 'The patient is 18 or over, or the patient directory holds no birth date'),
  A5: legacyOutcome('INVALID_PARAMETER', 'Patient gender must be female, unknown or indeterminate'),
  A6: legacyOutcome('FLAG_ALREADY_SET', 'An FGM flag is already active for this patient; nothing was changed'),
  A9: legacyOutcome('ASID_CHECK_FAILED', 'The sender ASID is not authorised for this interaction'),
  INVALID_ASSESSMENT_DATE: legacyOutcome('INVALID_PARAMETER', "Flag.period.start is before the patient's birth date"),
  R1: legacyOutcome('NO_RECORD_FOUND', 'No active FGM flag for this NHS number'),
  R5: legacyOutcome('ASID_CHECK_FAILED', 'The sender ASID is not authorised for this interaction'),
  SERVICE_UNAVAILABLE: legacyOutcome('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry later'),
  INTERNAL_ERROR: legacyOutcome('INTERNAL_SERVER_ERROR', 'Unexpected internal server error; quote the X-Request-ID when reporting it'),
});

/** The legacy outcome of an R4 decision's catalogue entry (L-1). */
export function legacyOutcomeOf(entry: CatalogueEntry): LegacyOutcome {
  return LEGACY_MAPPING[entry.key as ErrorKey] ?? (LEGACY_MAPPING.INTERNAL_ERROR as LegacyOutcome);
}
