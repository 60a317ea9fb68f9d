/**
 * The legacy messaging error table (legacy contract L§3) and the errors its
 * decisions add (AUTHOR_CREDENTIALS_ERROR, the 405 and 413 forms, the 503
 * and 500 faults: L-2, L-4, L-8, L-11.2, L-11.8), transcribed by hand from
 * `fgm-legacy-messaging.md`. Columns: HTTP status, severity, issue type,
 * code, display, and the MessageHeader `response.code` L-8 gives it.
 */
export const LEGACY_SPEC_ERRORS = {
  NO_RECORD_FOUND: [404, 'error', 'not-found', 'NO_RECORD_FOUND', 'No Record Found', 'fatal-error'],
  INVALID_NHS_NUMBER: [400, 'error', 'invalid', 'INVALID_NHS_NUMBER', 'Invalid NHS number', 'fatal-error'],
  PATIENT_OVER_18: [400, 'error', 'invalid', 'PATIENT_OVER_18', 'Patient is over 18', 'fatal-error'],
  INVALID_PARAMETER: [400, 'error', 'invalid', 'INVALID_PARAMETER', 'Invalid parameter', 'fatal-error'],
  FLAG_ALREADY_SET: [422, 'warning', 'informational', 'FLAG_ALREADY_SET', 'Flag value was already set', 'ok'],
  MESSAGE_NOT_WELL_FORMED: [400, 'error', 'structure', 'MESSAGE_NOT_WELL_FORMED', 'Message not well formed', 'fatal-error'],
  ASID_CHECK_FAILED: [
    403,
    'error',
    'forbidden',
    'ASID_CHECK_FAILED',
    "The sender or receiver's ASID is not authorised for this interaction",
    'fatal-error',
  ],
  AUTHOR_CREDENTIALS_ERROR: [401, 'fatal', 'forbidden', 'AUTHOR_CREDENTIALS_ERROR', 'Author credentials error', 'fatal-error'],
  METHOD_NOT_ALLOWED: [405, 'error', 'structure', 'MESSAGE_NOT_WELL_FORMED', 'Message not well formed', 'fatal-error'],
  BODY_TOO_LARGE: [413, 'error', 'too-costly', 'MESSAGE_NOT_WELL_FORMED', 'Message not well formed', 'fatal-error'],
  SERVICE_UNAVAILABLE: [503, 'fatal', 'exception', 'SERVICE_UNAVAILABLE', 'Service unavailable', 'transient-error'],
  INTERNAL_SERVER_ERROR: [500, 'fatal', 'exception', 'INTERNAL_SERVER_ERROR', 'Unexpected internal server error', 'fatal-error'],
} as const;

/** A row of {@link LEGACY_SPEC_ERRORS}. */
export type LegacySpecErrorKey = keyof typeof LEGACY_SPEC_ERRORS;

/** The code system of every legacy `issue.details.coding` (L§2.4). */
export const LEGACY_SPEC_CODE_SYSTEM = 'http://fhir.nhs.net/ValueSet/spine-response-code-2-0';
