/**
 * valibot schemas of the FHIR R4 shapes this library produces. The exported
 * TypeScript types are inferred from them, so the types and the runtime
 * checks cannot drift apart.
 */
import * as v from 'valibot';

/** FHIR `Coding` as used here. */
export const CodingSchema = v.object({
  system: v.string(),
  code: v.string(),
  display: v.optional(v.string()),
});
export type Coding = v.InferOutput<typeof CodingSchema>;

/** A removal reason's one coding as stored: system, code and the canonical display (D-18). */
const ReasonCodingSchema = v.strictObject({ system: v.string(), code: v.string(), display: v.string() });

/** The stored removal-reason extension in its canonical value form (`valueCoding`). */
export const RemovalExtensionCodingSchema = v.strictObject({
  url: v.string(),
  valueCoding: ReasonCodingSchema,
});

/** The stored removal-reason extension in the guide's example value form (`valueCodeableConcept`, exactly one coding). */
export const RemovalExtensionConceptSchema = v.strictObject({
  url: v.string(),
  valueCodeableConcept: v.strictObject({ coding: v.strictTuple([ReasonCodingSchema]) }),
});

/** The stored removal-reason extension, in the value form the client used (spec §5, D-9, D-18). */
export const RemovalExtensionSchema = v.union([RemovalExtensionCodingSchema, RemovalExtensionConceptSchema]);
export type RemovalExtension = v.InferOutput<typeof RemovalExtensionSchema>;

/** `Flag.status` values of an FGM indicator. */
export const FlagStatusSchema = v.picklist(['active', 'inactive', 'entered-in-error']);
export type FlagStatus = v.InferOutput<typeof FlagStatusSchema>;

/** The FGM-IS Flag as stored and returned (D-6: only the FGM-IS data items plus `id` and `meta`). */
export const FgmFlagSchema = v.strictObject({
  resourceType: v.literal('Flag'),
  id: v.string(),
  meta: v.strictObject({ versionId: v.string(), lastUpdated: v.string() }),
  extension: v.optional(v.strictTuple([RemovalExtensionSchema])),
  status: FlagStatusSchema,
  code: v.strictObject({
    coding: v.strictTuple([CodingSchema]),
    text: v.string(),
  }),
  subject: v.strictObject({
    identifier: v.strictObject({ system: v.string(), value: v.string() }),
  }),
  period: v.strictObject({ start: v.string() }),
});
export type FgmFlag = v.InferOutput<typeof FgmFlagSchema>;

/** One issue of an OperationOutcome. */
export const OperationOutcomeIssueSchema = v.strictObject({
  severity: v.picklist(['fatal', 'error', 'warning', 'information']),
  code: v.string(),
  details: v.strictObject({
    coding: v.strictTuple([CodingSchema]),
  }),
  diagnostics: v.string(),
});

/** A FHIR R4 OperationOutcome with exactly one issue, as this API returns. */
export const OperationOutcomeSchema = v.strictObject({
  resourceType: v.literal('OperationOutcome'),
  id: v.string(),
  issue: v.strictTuple([OperationOutcomeIssueSchema]),
});
export type OperationOutcome = v.InferOutput<typeof OperationOutcomeSchema>;

/** A searchset Bundle of at most one Flag (D-10). */
export const SearchBundleSchema = v.strictObject({
  resourceType: v.literal('Bundle'),
  id: v.string(),
  meta: v.strictObject({ lastUpdated: v.string() }),
  type: v.literal('searchset'),
  total: v.picklist([0, 1]),
  link: v.strictTuple([v.strictObject({ relation: v.literal('self'), url: v.string() })]),
  entry: v.optional(
    v.strictTuple([
      v.strictObject({
        fullUrl: v.string(),
        resource: FgmFlagSchema,
        search: v.strictObject({ mode: v.literal('match') }),
      }),
    ]),
  ),
});
export type SearchBundle = v.InferOutput<typeof SearchBundleSchema>;
