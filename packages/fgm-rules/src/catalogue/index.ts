/**
 * The FGM-IS error catalogue: every error the API can return, defined once.
 *
 * Rows S1–S3, A1–A9 and R1–R5 are spec §8 verbatim; the others come from the
 * binding decisions of spec §14 (D-2, D-5, D-6, D-9, D-11, D-12).
 */
import type { Interaction } from '../interaction/index.ts';

/** Every HTTP status an FGM-IS error can carry. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 406 | 412 | 413 | 500 | 503;

/** The FHIR R4 IssueType codes this API uses. */
export type IssueType = 'invalid' | 'forbidden' | 'login' | 'conflict' | 'not-found' | 'not-supported' | 'too-costly' | 'exception' | 'informational';

/** The Spine error-or-warning codes this API uses, with their standard displays (spec §7, D-12). */
export const SPINE_DISPLAY = {
  ACCESS_DENIED: 'Access has been denied to process this request',
  INVALID_SEARCH_DATA: 'Invalid search data',
  PRECONDITION_FAILED: 'Precondition failed',
  VALIDATION_ERROR: 'Validation error',
  INVALID_VALUE: 'Invalid value',
  UNSUPPORTED_VALUE: 'Unsupported value',
  RESOURCE_NOT_FOUND: 'Resource not found',
  RESOURCE_VERSION_MISMATCH: 'Resource version mismatch',
  UNSUPPORTED_SERVICE: 'Unsupported service',
  SERVICE_UNAVAILABLE: 'Service unavailable',
  INTERNAL_SERVER_ERROR: 'Unexpected internal server error',
} as const;

/** A Spine error code. */
export type SpineCode = keyof typeof SPINE_DISPLAY;

/** The code system of every `issue.details.coding` (spec §7). */
export const SPINE_CODE_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/England-SpineErrorOrWarningCode';

/** One row of the catalogue: everything a client sees of one error. */
export interface CatalogueEntry {
  /** Stable key, the spec row id (`S1`) or a name for decision-defined errors ({@link ErrorKey}). */
  readonly key: string;
  /** Where the spec defines it: `§8 S1`, `D-2`, … */
  readonly source: string;
  /** HTTP status code: the one mapping from outcome to status. */
  readonly status: ErrorStatus;
  readonly severity: 'error';
  /** FHIR `issue.code`. */
  readonly code: IssueType;
  /** Spine `issue.details.coding[0].code`. */
  readonly details: SpineCode;
  /** Spine `issue.details.coding[0].display`. */
  readonly display: string;
  /** `issue.diagnostics`, exactly as the spec writes it. */
  readonly diagnostics: string;
}

const MISSING_HEAD = 'Missing or invalid head parameter';
const ASID_DENIED = "The sender or receiver's ASID is not authorised for this interaction";
const INVALID_NHS = 'Invalid NHS number';

/** @internal Builds one frozen catalogue row; the display always follows the code. */
function row<K extends string>(
  key: K,
  source: string,
  status: ErrorStatus,
  code: IssueType,
  details: SpineCode,
  diagnostics: string,
): CatalogueEntry & { readonly key: K } {
  return Object.freeze({ key, source, status, severity: 'error', code, details, display: SPINE_DISPLAY[details], diagnostics } as const);
}

const ENTRIES = [
  row('S1', '§8 S1', 400, 'invalid', 'INVALID_SEARCH_DATA', INVALID_NHS),
  row('S2', '§8 S2', 400, 'invalid', 'PRECONDITION_FAILED', MISSING_HEAD),
  row('S3', '§8 S3', 403, 'forbidden', 'ACCESS_DENIED', ASID_DENIED),
  row('A1', '§8 A1', 400, 'invalid', 'INVALID_VALUE', INVALID_NHS),
  row('A2', '§8 A2', 400, 'invalid', 'UNSUPPORTED_VALUE', 'Code must be 902961000000107'),
  row('A3', '§8 A3', 400, 'invalid', 'UNSUPPORTED_VALUE', 'Status must be active on this interaction'),
  row('A4', '§8 A4', 400, 'invalid', 'VALIDATION_ERROR', 'Patient is over 18'),
  row('A5', '§8 A5', 400, 'invalid', 'VALIDATION_ERROR', 'Patient gender must be female, unknown or indeterminate'),
  row('A6', '§8 A6', 400, 'invalid', 'VALIDATION_ERROR', 'Flag value was already set'),
  row('A7', '§8 A7', 400, 'invalid', 'VALIDATION_ERROR', 'Removal reason not allowed on this interaction'),
  row('A8', '§8 A8', 400, 'invalid', 'PRECONDITION_FAILED', MISSING_HEAD),
  row('A9', '§8 A9', 403, 'forbidden', 'ACCESS_DENIED', ASID_DENIED),
  row('R1', '§8 R1', 400, 'invalid', 'RESOURCE_NOT_FOUND', 'Resource not found'),
  row('R2', '§8 R2', 400, 'invalid', 'INVALID_VALUE', 'ID specified in the URL does not match the ID specified in the resource'),
  row('R3', '§8 R3', 400, 'invalid', 'VALIDATION_ERROR', 'Removal reason must be supplied'),
  row('R4', '§8 R4', 400, 'invalid', 'PRECONDITION_FAILED', MISSING_HEAD),
  row('R5', '§8 R5', 403, 'forbidden', 'ACCESS_DENIED', ASID_DENIED),
  row('ID_ON_CREATE', 'D-2', 400, 'invalid', 'INVALID_VALUE', 'Resource id must not be supplied on create'),
  row('INVALID_TOKEN', 'D-5, D-17', 401, 'login', 'ACCESS_DENIED', 'Invalid or expired access token'),
  row('USER_NOT_AUTHORISED', 'D-5', 403, 'forbidden', 'ACCESS_DENIED', 'The user is not authorised for this interaction'),
  row('INVALID_BODY', 'D-6, D-25', 400, 'invalid', 'INVALID_VALUE', 'Invalid request body'),
  row('INVALID_ASSESSMENT_DATE', 'D-6, D-19', 400, 'invalid', 'INVALID_VALUE', 'Assessment date (period.start) must be a valid date'),
  row('REMOVE_STATUS', 'D-9', 400, 'invalid', 'UNSUPPORTED_VALUE', 'Status must be inactive or entered-in-error on this interaction'),
  row('REMOVAL_REASON_CODE', 'D-9, D-18', 400, 'invalid', 'UNSUPPORTED_VALUE', 'Removal reason code not supported'),
  row('VERSION_MISMATCH', 'D-9', 412, 'conflict', 'RESOURCE_VERSION_MISMATCH', 'If-Match does not match the current version'),
  row('NOT_FOUND', 'D-11', 404, 'not-found', 'RESOURCE_NOT_FOUND', 'Resource not found'),
  row('UNKNOWN_PATH', 'D-12', 404, 'not-found', 'RESOURCE_NOT_FOUND', 'Unknown path: this service serves /Flag, /Flag/{id} and /metadata'),
  row('METHOD_NOT_ALLOWED', 'D-12', 405, 'not-supported', 'UNSUPPORTED_SERVICE', 'Unsupported service'),
  row('NOT_ACCEPTABLE', 'D-12, D-24', 406, 'not-supported', 'INVALID_VALUE', 'Only application/fhir+json is supported'),
  row('BODY_TOO_LARGE', 'D-12, D-23', 413, 'too-costly', 'INVALID_VALUE', 'Request body too large'),
  row('SERVICE_UNAVAILABLE', 'D-12', 503, 'exception', 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry later'),
  row(
    'INTERNAL_ERROR',
    'D-12',
    500,
    'exception',
    'INTERNAL_SERVER_ERROR',
    'Unexpected internal server error; quote the X-Request-ID when reporting it',
  ),
] as const;

/** The key of a catalogue entry. */
export type ErrorKey = (typeof ENTRIES)[number]['key'];

/** Every catalogue entry by key. */
export const catalogue: { readonly [K in ErrorKey]: CatalogueEntry & { readonly key: K } } = Object.freeze(
  Object.fromEntries(ENTRIES.map((entry) => [entry.key, entry])),
) as never;

/** Every catalogue entry, in spec order. */
export const catalogueEntries: readonly CatalogueEntry[] = ENTRIES;

const HEAD_PARAMETER_ERROR = { search: catalogue.S2, read: catalogue.S2, add: catalogue.A8, remove: catalogue.R4 } as const;
const ASID_ERROR = { search: catalogue.S3, read: catalogue.S3, add: catalogue.A9, remove: catalogue.R5 } as const;

/** The "Missing or invalid head parameter" row for an interaction (S2, A8 or R4; read uses S2). */
export function headParameterError(interaction: Interaction): CatalogueEntry {
  return HEAD_PARAMETER_ERROR[interaction];
}

/** The ASID-refusal row for an interaction (S3, A9 or R5; read uses S3). */
export function asidError(interaction: Interaction): CatalogueEntry {
  return ASID_ERROR[interaction];
}
