/**
 * Spec §8 and the §14 decision errors, transcribed by hand from
 * `shared/spec/fgm-is-r4.md` as the tests' independent oracle. The
 * implementation's catalogue must agree with this table exactly.
 *
 * Used by the rules package's tests and the API's tests alike.
 */
export const SPEC_ERRORS = {
  S1: [400, 'invalid', 'INVALID_SEARCH_DATA', 'Invalid search data', 'Invalid NHS number'],
  S2: [400, 'invalid', 'PRECONDITION_FAILED', 'Precondition failed', 'Missing or invalid head parameter'],
  S3: [
    403,
    'forbidden',
    'ACCESS_DENIED',
    'Access has been denied to process this request',
    "The sender or receiver's ASID is not authorised for this interaction",
  ],
  A1: [400, 'invalid', 'INVALID_VALUE', 'Invalid value', 'Invalid NHS number'],
  A2: [400, 'invalid', 'UNSUPPORTED_VALUE', 'Unsupported value', 'Code must be 902961000000107'],
  A3: [400, 'invalid', 'UNSUPPORTED_VALUE', 'Unsupported value', 'Status must be active on this interaction'],
  A4: [400, 'invalid', 'VALIDATION_ERROR', 'Validation error', 'Patient is over 18'],
  A5: [400, 'invalid', 'VALIDATION_ERROR', 'Validation error', 'Patient gender must be female, unknown or indeterminate'],
  A6: [400, 'invalid', 'VALIDATION_ERROR', 'Validation error', 'Flag value was already set'],
  A7: [400, 'invalid', 'VALIDATION_ERROR', 'Validation error', 'Removal reason not allowed on this interaction'],
  A8: [400, 'invalid', 'PRECONDITION_FAILED', 'Precondition failed', 'Missing or invalid head parameter'],
  A9: [
    403,
    'forbidden',
    'ACCESS_DENIED',
    'Access has been denied to process this request',
    "The sender or receiver's ASID is not authorised for this interaction",
  ],
  R1: [400, 'invalid', 'RESOURCE_NOT_FOUND', 'Resource not found', 'Resource not found'],
  R2: [400, 'invalid', 'INVALID_VALUE', 'Invalid value', 'ID specified in the URL does not match the ID specified in the resource'],
  R3: [400, 'invalid', 'VALIDATION_ERROR', 'Validation error', 'Removal reason must be supplied'],
  R4: [400, 'invalid', 'PRECONDITION_FAILED', 'Precondition failed', 'Missing or invalid head parameter'],
  R5: [
    403,
    'forbidden',
    'ACCESS_DENIED',
    'Access has been denied to process this request',
    "The sender or receiver's ASID is not authorised for this interaction",
  ],
  ID_ON_CREATE: [400, 'invalid', 'INVALID_VALUE', 'Invalid value', 'Resource id must not be supplied on create'],
  INVALID_TOKEN: [401, 'login', 'ACCESS_DENIED', 'Access has been denied to process this request', 'Invalid or expired access token'],
  USER_NOT_AUTHORISED: [
    403,
    'forbidden',
    'ACCESS_DENIED',
    'Access has been denied to process this request',
    'The user is not authorised for this interaction',
  ],
  INVALID_BODY: [400, 'invalid', 'INVALID_VALUE', 'Invalid value', 'Invalid request body'],
  INVALID_ASSESSMENT_DATE: [400, 'invalid', 'INVALID_VALUE', 'Invalid value', 'Assessment date (period.start) must be a valid date'],
  REMOVE_STATUS: [400, 'invalid', 'UNSUPPORTED_VALUE', 'Unsupported value', 'Status must be inactive or entered-in-error on this interaction'],
  REMOVAL_REASON_CODE: [400, 'invalid', 'UNSUPPORTED_VALUE', 'Unsupported value', 'Removal reason code not supported'],
  VERSION_MISMATCH: [412, 'conflict', 'RESOURCE_VERSION_MISMATCH', 'Resource version mismatch', 'If-Match does not match the current version'],
  NOT_FOUND: [404, 'not-found', 'RESOURCE_NOT_FOUND', 'Resource not found', 'Resource not found'],
  UNKNOWN_PATH: [404, 'not-found', 'RESOURCE_NOT_FOUND', 'Resource not found', 'Unknown path: this service serves /Flag, /Flag/{id} and /metadata'],
  METHOD_NOT_ALLOWED: [405, 'not-supported', 'UNSUPPORTED_SERVICE', 'Unsupported service', 'Unsupported service'],
  NOT_ACCEPTABLE: [406, 'not-supported', 'INVALID_VALUE', 'Invalid value', 'Only application/fhir+json is supported'],
  BODY_TOO_LARGE: [413, 'too-costly', 'INVALID_VALUE', 'Invalid value', 'Request body too large'],
  SERVICE_UNAVAILABLE: [503, 'exception', 'SERVICE_UNAVAILABLE', 'Service unavailable', 'The service is temporarily unavailable; retry later'],
  INTERNAL_ERROR: [
    500,
    'exception',
    'INTERNAL_SERVER_ERROR',
    'Unexpected internal server error',
    'Unexpected internal server error; quote the X-Request-ID when reporting it',
  ],
} as const;

export type SpecErrorKey = keyof typeof SPEC_ERRORS;

/** The whole OperationOutcome the spec requires for a row, with the given id. */
export function expectedOutcome(key: SpecErrorKey, id: string) {
  const [, code, details, display, diagnostics] = SPEC_ERRORS[key];
  return {
    resourceType: 'OperationOutcome',
    id,
    issue: [
      {
        severity: 'error',
        code,
        details: { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/England-SpineErrorOrWarningCode', code: details, display }] },
        diagnostics,
      },
    ],
  };
}

/** The HTTP status the spec requires for a row. */
export function expectedStatus(key: SpecErrorKey): number {
  return SPEC_ERRORS[key][0];
}
