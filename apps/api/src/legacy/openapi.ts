/**
 * The legacy messaging channel's routes as data: each endpoint's path and
 * interaction, what it is for, its success answer, and the rows of the
 * legacy error table (L§3) it can answer with. Data only (no Hono): the
 * docs workspace builds the OpenAPI document from it (`@fgm-is/api/routes`),
 * and the router can take its paths from it.
 */
import type { LegacyErrorKey, LegacyInteraction } from '@fgm-is/rules';

/** What every legacy message can meet before its interaction's own rules (L-11.1) and after (L-8). */
const LEGACY_COMMON = [
  'MESSAGE_NOT_WELL_FORMED',
  'BODY_TOO_LARGE',
  'ASID_CHECK_FAILED',
  'AUTHOR_CREDENTIALS_ERROR',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const satisfies readonly LegacyErrorKey[];

/** A legacy messaging endpoint: POST only (any other method is `METHOD_NOT_ALLOWED` with `Allow: POST`, L-2). */
export interface LegacyOperation {
  readonly method: 'POST';
  /** The exact path (L-11.4): anything else, a trailing slash included, is the R4 404. */
  readonly path: `/fhir/fgm/${LegacyInteraction}`;
  readonly interaction: LegacyInteraction;
  readonly operationId: string;
  readonly summary: string;
  /** The success answer: its status and what its message Bundle holds. */
  readonly success: { readonly status: 200 | 201; readonly description: string };
  /** The legacy error rows it can answer with (L§3, L-2, L-8). */
  readonly errors: readonly LegacyErrorKey[];
  /** Served only when `LEGACY_MESSAGING = "on"` (L-4); otherwise 404 like any unknown path. */
  readonly servedWhen: 'legacy-messaging';
}

/** What every legacy endpoint's documentation says of it. */
export const LEGACY_DESCRIPTION =
  'A FHIR DSTU2 message Bundle in XML (legacy contract L§1, L§2); the business rules are those of the R4 API (L-1). Any other method is 405 MESSAGE_NOT_WELL_FORMED with `Allow: POST`. Off unless `LEGACY_MESSAGING = "on"` (L-4); then 404 like any unknown path.';

/** The three legacy endpoints. */
export const LEGACY_OPERATIONS: readonly LegacyOperation[] = [
  {
    method: 'POST',
    path: '/fhir/fgm/query',
    interaction: 'query',
    operationId: 'legacyQuery',
    summary: 'Legacy query: is there an FGM flag for this NHS number (L-5)',
    success: { status: 200, description: 'The message Bundle with the Flag.' },
    errors: [...LEGACY_COMMON, 'INVALID_PARAMETER', 'INVALID_NHS_NUMBER', 'NO_RECORD_FOUND'],
    servedWhen: 'legacy-messaging',
  },
  {
    method: 'POST',
    path: '/fhir/fgm/create',
    interaction: 'create',
    operationId: 'legacyCreate',
    summary: 'Legacy create: add an FGM flag (L-6)',
    success: { status: 201, description: 'Created: the message Bundle holds only its MessageHeader.' },
    errors: [...LEGACY_COMMON, 'INVALID_PARAMETER', 'INVALID_NHS_NUMBER', 'PATIENT_OVER_18', 'FLAG_ALREADY_SET'],
    servedWhen: 'legacy-messaging',
  },
  {
    method: 'POST',
    path: '/fhir/fgm/delete',
    interaction: 'delete',
    operationId: 'legacyDelete',
    summary: "Legacy delete: remove the patient's active FGM flag (L-7)",
    success: { status: 200, description: 'Removed: the message Bundle holds only its MessageHeader.' },
    errors: [...LEGACY_COMMON, 'INVALID_PARAMETER', 'INVALID_NHS_NUMBER', 'NO_RECORD_FOUND'],
    servedWhen: 'legacy-messaging',
  },
];
