/**
 * Which rows of the error catalogues each operation can answer with: the
 * R4 catalogue (spec §8 and the decisions) and the legacy error table
 * (L§3). The rows themselves come from `@fgm-is/rules`; this is only the
 * map from operation to row keys, and the contract tests check it against
 * every error the API tests receive.
 */
import { type ErrorKey, type Interaction, type LegacyErrorKey, type LegacyInteraction, asidError, headParameterError } from '@fgm-is/rules';

/** @internal What any request can meet once it is past routing: a fault of this service or of a dependency (D-12). */
const FAULTS = ['INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'] as const satisfies readonly ErrorKey[];

/** @internal The checks every FGM interaction passes first, in the order of D-5: head parameters, token, ASID, user, Accept. */
function guard(interaction: Interaction): ErrorKey[] {
  return [
    headParameterError(interaction).key as ErrorKey,
    'INVALID_TOKEN',
    asidError(interaction).key as ErrorKey,
    'USER_NOT_AUTHORISED',
    'NOT_ACCEPTABLE',
  ];
}

/** The catalogue rows each R4 operation can return. */
export const R4_OPERATION_ERRORS = {
  search: [...guard('search'), 'S1', ...FAULTS],
  read: [...guard('read'), 'NOT_FOUND', ...FAULTS],
  add: [
    ...guard('add'),
    'BODY_TOO_LARGE',
    'INVALID_BODY',
    'ID_ON_CREATE',
    'A1',
    'A2',
    'A3',
    'A7',
    'INVALID_ASSESSMENT_DATE',
    'A4',
    'A5',
    'A6',
    ...FAULTS,
  ],
  remove: [
    ...guard('remove'),
    'BODY_TOO_LARGE',
    'INVALID_BODY',
    'R1',
    'VERSION_MISMATCH',
    'R2',
    'R3',
    'REMOVE_STATUS',
    'REMOVAL_REASON_CODE',
    ...FAULTS,
  ],
  metadata: ['NOT_ACCEPTABLE', 'INTERNAL_ERROR'],
  /** Paths that need no headers and reach no store: the health check, this document, the docs page. */
  plain: ['INTERNAL_ERROR'],
  /** The sandbox token endpoint. */
  sandboxToken: ['BODY_TOO_LARGE', 'INVALID_BODY', 'INTERNAL_ERROR'],
} as const satisfies Record<string, readonly ErrorKey[]>;

/** The rows any path answers outside its operations: an unknown path, or a method a known path does not serve (D-12). */
export const ROUTING_ERRORS = { unknownPath: 'UNKNOWN_PATH', methodNotAllowed: 'METHOD_NOT_ALLOWED' } as const satisfies Record<string, ErrorKey>;

/** @internal What every legacy message can meet before its interaction's own rules (L-11.1) and after (L-8). */
const LEGACY_COMMON = [
  'MESSAGE_NOT_WELL_FORMED',
  'BODY_TOO_LARGE',
  'ASID_CHECK_FAILED',
  'AUTHOR_CREDENTIALS_ERROR',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const satisfies readonly LegacyErrorKey[];

/** The legacy error rows each legacy endpoint can return (L§3, L-2, L-8); any other method is `METHOD_NOT_ALLOWED`. */
export const LEGACY_OPERATION_ERRORS = {
  query: [...LEGACY_COMMON, 'INVALID_PARAMETER', 'INVALID_NHS_NUMBER', 'NO_RECORD_FOUND'],
  create: [...LEGACY_COMMON, 'INVALID_PARAMETER', 'INVALID_NHS_NUMBER', 'PATIENT_OVER_18', 'FLAG_ALREADY_SET'],
  delete: [...LEGACY_COMMON, 'INVALID_PARAMETER', 'INVALID_NHS_NUMBER', 'NO_RECORD_FOUND'],
} as const satisfies Record<LegacyInteraction, readonly LegacyErrorKey[]>;
