/**
 * The R4 channel's routes as data: each operation's method, path and
 * interaction, what it is for, and the catalogue rows it can answer with,
 * in the order its checks run. Data only (no Hono): the docs workspace
 * builds the OpenAPI document from it (`@fgm-is/api/routes`), and the
 * router can take its paths and its check order from it.
 */
import { type ErrorKey, type Interaction, asidError, catalogue, headParameterError } from '@fgm-is/rules';

/** One check of D-5: what it checks, in words, and the catalogue row it refuses an interaction with. */
export interface GuardCheck {
  readonly check: 'head parameters' | 'token' | 'ASID' | 'user' | 'Accept';
  readonly refusal: (interaction: Interaction) => ErrorKey;
}

/**
 * The checks every FGM interaction passes first, in the order of D-5: head
 * parameters 400 → token 401 → ASID 403 → user 403 → Accept 406. The one
 * place this order is written: each operation's error rows below, the
 * OpenAPI document's introduction and the docs page are made from it.
 */
export const GUARD_CHECKS: readonly GuardCheck[] = [
  { check: 'head parameters', refusal: (interaction) => headParameterError(interaction).key as ErrorKey },
  { check: 'token', refusal: () => 'INVALID_TOKEN' },
  { check: 'ASID', refusal: (interaction) => asidError(interaction).key as ErrorKey },
  { check: 'user', refusal: () => 'USER_NOT_AUTHORISED' },
  { check: 'Accept', refusal: () => 'NOT_ACCEPTABLE' },
];

/** The rows of {@link GUARD_CHECKS} for an interaction, in order. */
export function guardErrors(interaction: Interaction): ErrorKey[] {
  return GUARD_CHECKS.map((step) => step.refusal(interaction));
}

/** The check order in words with each check's status, e.g. `head parameters (400) → token (401) → …` (the statuses are the same for every interaction). */
export function guardOrderText(): string {
  return GUARD_CHECKS.map((step) => `${step.check} (${catalogue[step.refusal('search')].status})`).join(' → ');
}

/** What any request can meet once it is past routing: a fault of this service or of a dependency (D-12). */
const FAULTS = ['INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'] as const satisfies readonly ErrorKey[];

/** An operation of the R4 channel. */
export interface R4Operation {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** The path in Hono's syntax (`:id`); the OpenAPI document writes `{id}`. */
  readonly path: '/Flag' | '/Flag/:id' | '/metadata';
  /** The FGM interaction, whose D-5 checks run first; none for `/metadata`. */
  readonly interaction: Interaction | undefined;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** The catalogue rows it can answer with: the checks' in their order, then the operation's own (D-6, D-9 order), then faults. */
  readonly errors: readonly ErrorKey[];
}

/** Every R4 operation; any other method on these paths is 405 with `Allow` (D-12). */
export const R4_OPERATIONS: readonly R4Operation[] = [
  {
    method: 'GET',
    path: '/Flag',
    interaction: 'search',
    operationId: 'searchFlags',
    summary: 'Search: the active FGM indicator of a child, by NHS number (§2.1, D-10)',
    description:
      'One KV read. A searchset Bundle with `total` 1 and the Flag when the patient has a current indicator (active, under 18), else `total` 0 and no `entry`.',
    errors: [...guardErrors('search'), 'S1', ...FAULTS],
  },
  {
    method: 'POST',
    path: '/Flag',
    interaction: 'add',
    operationId: 'addFlag',
    summary: 'Add: create the FGM indicator of a child (§2.2, D-6, D-7)',
    description:
      'The body is checked by the rules in the order of D-6, then the patient directory is asked for age and gender and the patient’s ledger decides (D-14). 201 with `Location`, `ETag: W/"1"` and `Last-Modified`.',
    errors: [
      ...guardErrors('add'),
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
  },
  {
    method: 'GET',
    path: '/Flag/:id',
    interaction: 'read',
    operationId: 'readFlag',
    summary: 'Read: a Flag by its server id, active or removed (D-11)',
    errors: [...guardErrors('read'), 'NOT_FOUND', ...FAULTS],
  },
  {
    method: 'PUT',
    path: '/Flag/:id',
    interaction: 'remove',
    operationId: 'removeFlag',
    summary: 'Remove: set an active flag inactive or entered-in-error, with a removal reason (§2.3, D-9)',
    description:
      'Optional `If-Match` (a stale one is 412). The Flag comes back at the next `versionId`, with the removal reason in canonical form (D-18).',
    errors: [
      ...guardErrors('remove'),
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
  },
  {
    method: 'GET',
    path: '/metadata',
    interaction: undefined,
    operationId: 'capabilities',
    summary: 'The CapabilityStatement (D-12); no headers needed',
    errors: ['NOT_ACCEPTABLE', 'INTERNAL_ERROR'],
  },
];
