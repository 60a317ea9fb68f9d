/**
 * The JSON Schemas of the OpenAPI document, converted from the valibot
 * schemas the server itself builds its answers with (`@valibot/to-json-schema`,
 * JSON Schema 2020-12 as OpenAPI 3.1 uses), the request bodies' from the
 * rules' own request schemas (`AddBodySchema`, `RemoveBodySchema`), plus one schema a catalogue row: the
 * exact issue that row returns.
 */
import {
  AccessTokenClaimsSchema,
  AddBodySchema,
  type CatalogueEntry,
  CodingSchema,
  FGM_CODE,
  FgmFlagSchema,
  NHS_NUMBER_SYSTEM,
  OperationOutcomeSchema,
  REMOVAL_EXTENSION_URLS,
  REMOVAL_REASONS,
  REMOVAL_REASON_SYSTEMS,
  RemoveBodySchema,
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
 * An Add body (D-6): a Flag resource with every constraint the rules check
 * of it, `AddBodySchema` (the rules' own step schemas; elements they do not
 * read are allowed and ignored).
 */
const AddFlagRequestSchema = v.intersect([v.object({ resourceType: v.literal('Flag') }), AddBodySchema]);

/** The health check's body (D-22, draft-inadarei-api-health-check). */
const HealthSchema = v.object({
  status: v.picklist(['pass', 'fail']),
  version: v.string(),
  checks: v.optional(
    v.record(
      v.string(),
      v.array(
        v.object({
          // `warn`: the write path is catching up (a projection behind, audit waiting), the audit database is 80 % full, or
          // a scheduled job is late; the service still passes (docs/runbook.md).
          status: v.picklist(['pass', 'warn', 'fail']),
          observedValue: v.number(),
          // `ms` for a dependency's answer time; `ledgers` and `s` for the write path's checks; `bytes` for the audit
          // database's size (`d1:audit-size`); `s` since a scheduled job last finished (`job:*`).
          observedUnit: v.picklist(['ms', 'ledgers', 's', 'bytes']),
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
  RemoveFlagRequest: RemoveBodySchema,
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
 * code, Spine code and display, and diagnostics, each a `const`; exactly one
 * issue with exactly one coding (D-12). The HTTP status is the response's
 * key and is said in the description: a schema carries no keyword outside
 * JSON Schema 2020-12, so strict validators (Ajv's `strict`) compile it.
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
      details: { type: 'object', properties: { coding: exactlyOne(coding) }, required: ['coding'] },
      diagnostics: { const: entry.diagnostics },
    },
    required: ['severity', 'code', 'details', 'diagnostics'],
  };
  return {
    title: `${entry.key}: ${entry.diagnostics}`,
    description: `Catalogue row ${entry.key} (${entry.source}): HTTP ${entry.status}, ${entry.code}, ${entry.details}.`,
    type: 'object',
    properties: { issue: exactlyOne(issue) },
    required: ['issue'],
  };
}

/** @internal An array of exactly one item (D-12: one issue, one coding), as a tuple Ajv's strictTuples accepts. */
function exactlyOne(item: Json): Json {
  return { type: 'array', items: item, minItems: 1, maxItems: 1 };
}
