/**
 * The JSON Schemas of the OpenAPI document, converted from the valibot
 * schemas the server itself builds its answers with (`@valibot/to-json-schema`,
 * JSON Schema 2020-12 as OpenAPI 3.1 uses), the request bodies' from the
 * rules' Flag schema and constants, plus one schema a catalogue row: the
 * exact issue that row returns.
 */
import {
  AccessTokenClaimsSchema,
  type CatalogueEntry,
  CodingSchema,
  FGM_CODE,
  FgmFlagSchema,
  NHS_NUMBER_SYSTEM,
  OperationOutcomeSchema,
  REMOVAL_EXTENSION_URLS,
  REMOVAL_REASONS,
  REMOVAL_REASON_SYSTEMS,
  SNOMED_SYSTEM,
  SPINE_CODE_SYSTEM,
  SearchBundleSchema,
} from '@fgm-is/rules';
import { toJsonSchemaDefs } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { SandboxTokenRequestSchema, SandboxTokenSchema } from '../sandbox-token-schema.ts';

/** A JSON value of the document. */
export type Json = Record<string, unknown>;

/**
 * An Add body as the rules read it (D-6): the Flag without `id` and `meta`,
 * status `active`, some SNOMED coding of the FGM code; elements the rules do
 * not read are ignored. Built from the rules' exported Flag schema and
 * constants: the schemas `validateAddBody` checks with (one a D-6 step) are
 * internal to `@fgm-is/rules`; once it exports them, this and
 * {@link RemoveFlagRequestSchema} become those schemas, converted as they are.
 */
const AddFlagRequestSchema = v.object({
  ...v.omit(FgmFlagSchema, ['id', 'meta', 'extension', 'status', 'code']).entries,
  status: v.literal('active'),
  code: v.object({
    coding: v.pipe(v.array(CodingSchema), v.minLength(1), v.description(`Must include the coding system ${SNOMED_SYSTEM}, code ${FGM_CODE} (A2).`)),
    text: v.optional(v.string()),
  }),
  subject: v.object({
    identifier: v.object({ system: v.literal(NHS_NUMBER_SYSTEM), value: v.pipe(v.string(), v.regex(/^[0-9]{10}$/)) }),
  }),
  period: v.object({ start: v.pipe(v.string(), v.isoDate(), v.description('The assessment date, not after today (Europe/London).')) }),
});

/** A removal reason as a client may write it (spec §5, D-9, D-18): `valueCoding`, or `valueCodeableConcept` with one coding. */
const ReasonCodingRequestSchema = v.object({
  system: v.picklist(REMOVAL_REASON_SYSTEMS),
  code: v.picklist(Object.keys(REMOVAL_REASONS) as ['0', '2']),
  display: v.optional(v.string()),
});

/** A Remove body as the rules read it (D-9): the Flag's id, the new status and exactly one removal reason (from the rules' constants; see above). */
const RemoveFlagRequestSchema = v.object({
  resourceType: v.literal('Flag'),
  id: v.pipe(v.string(), v.description('Must equal the {id} of the URL (R2).')),
  status: v.picklist(['inactive', 'entered-in-error']),
  extension: v.pipe(
    v.array(
      v.union([
        v.object({ url: v.picklist(REMOVAL_EXTENSION_URLS), valueCoding: ReasonCodingRequestSchema }),
        v.object({ url: v.picklist(REMOVAL_EXTENSION_URLS), valueCodeableConcept: v.object({ coding: v.tuple([ReasonCodingRequestSchema]) }) }),
      ]),
    ),
    v.length(1),
  ),
});

/** The health check's body (D-22, draft-inadarei-api-health-check). */
const HealthSchema = v.object({
  status: v.picklist(['pass', 'fail']),
  version: v.string(),
  checks: v.optional(
    v.record(
      v.string(),
      v.array(
        v.object({
          // `warn`: the write path is catching up (a projection behind, audit waiting); the service still passes.
          status: v.picklist(['pass', 'warn', 'fail']),
          observedValue: v.number(),
          // `ms` for a dependency's answer time; `ledgers` and `s` for the write path's checks.
          observedUnit: v.picklist(['ms', 'ledgers', 's']),
          output: v.optional(v.string()),
        }),
      ),
    ),
  ),
});

/** @internal The valibot schemas the document shows, by component name. */
const DEFINITIONS = {
  Flag: FgmFlagSchema,
  OperationOutcome: OperationOutcomeSchema,
  SearchBundle: SearchBundleSchema,
  AddFlagRequest: AddFlagRequestSchema,
  RemoveFlagRequest: RemoveFlagRequestSchema,
  AccessTokenClaims: AccessTokenClaimsSchema,
  Health: HealthSchema,
  SandboxTokenRequest: SandboxTokenRequestSchema,
  SandboxToken: SandboxTokenSchema,
};

/** @internal Points the converter's `#/$defs/…` references at `#/components/schemas/…`. */
function retarget(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(retarget);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === '$ref' && typeof item === 'string' ? item.replace('#/$defs/', '#/components/schemas/') : retarget(item),
    ]),
  );
}

/** The converted schemas, keyed by component name. Checks the converter cannot express (`check`) are left to the descriptions. */
export function valibotSchemas(): Record<string, Json> {
  const converted = toJsonSchemaDefs(DEFINITIONS, { target: 'draft-2020-12', errorMode: 'ignore' });
  return retarget(converted) as Record<string, Json>;
}

/** The component name of a catalogue row's schema and example. */
export const errorComponent = (key: string) => `Error.${key}`;

/**
 * The exact OperationOutcome issue a catalogue row returns: severity, issue
 * code, Spine code and display, and diagnostics, each a `const`.
 */
export function errorRowSchema(entry: CatalogueEntry): Json {
  const coding = {
    type: 'object',
    properties: { system: { const: SPINE_CODE_SYSTEM }, code: { const: entry.details }, display: { const: entry.display } },
    required: ['system', 'code', 'display'],
  };
  const issue = {
    type: 'object',
    properties: {
      severity: { const: entry.severity },
      code: { const: entry.code },
      details: { type: 'object', properties: { coding: { type: 'array', prefixItems: [coding], minItems: 1 } }, required: ['coding'] },
      diagnostics: { const: entry.diagnostics },
    },
    required: ['severity', 'code', 'details', 'diagnostics'],
  };
  return {
    title: `${entry.key}: ${entry.diagnostics}`,
    description: `Catalogue row ${entry.key} (${entry.source}): HTTP ${entry.status}, ${entry.code}, ${entry.details}.`,
    type: 'object',
    properties: { issue: { type: 'array', prefixItems: [issue], minItems: 1 } },
    required: ['issue'],
    'x-fgm-status': entry.status,
  };
}
