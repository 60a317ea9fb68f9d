/**
 * `@fgm-is/rules`: the pure domain rules of the FGM-IS FHIR R4 API.
 *
 * Every validation and every error mapping lives here once. No I/O, no clock
 * and no randomness: pass `now`, `today` and ids in.
 *
 * This file is the whole public API: each export is named, so a helper a
 * unit marks `@internal` never leaks into it.
 *
 * @packageDocumentation
 */

export type { Err, Ok, Result } from './result/index.ts';

export { INTERACTIONS, PERMISSIONS, permissionFor } from './interaction/index.ts';
export type { Interaction, Permission } from './interaction/index.ts';

export { SPINE_CODE_SYSTEM, SPINE_DISPLAY, asidError, catalogue, catalogueEntries, headParameterError } from './catalogue/index.ts';
export type { CatalogueEntry, ErrorKey, ErrorStatus, IssueType, SpineCode } from './catalogue/index.ts';

export { informationalOutcome, toOperationOutcome } from './outcome/index.ts';
export type { InformationalKind } from './outcome/index.ts';

export { NhsNumberSchema, isValidNhsNumber, nhsNumberCheckDigit } from './nhs-number/index.ts';

export {
  SERVICE_TIME_ZONE,
  ageInYears,
  eighteenthBirthday,
  isCalendarDate,
  isLeapYear,
  isUnder18,
  londonDate,
  readDateTime,
} from './calendar/index.ts';
export type { DateTimeParts } from './calendar/index.ts';

export { checkHeadParameters, isTraceId } from './head-parameters/index.ts';
export type { HeadParameters, HeaderSource } from './head-parameters/index.ts';

export {
  AccessPolicySchema,
  AccessTokenClaimsSchema,
  AsidSchema,
  DEFAULT_MAX_TOKEN_TTL_SECONDS,
  authoriseAsid,
  authoriseUser,
  isAsid,
  parseAccessPolicy,
  parseAccessTokenClaims,
} from './access/index.ts';
export type { AccessPolicy, AccessTokenClaims, PolicyIssues, TokenLimits } from './access/index.ts';

export { GENDERS, PatientDemographicsSchema, parsePatientDemographics } from './patient/index.ts';
export type { Gender, PatientDemographics } from './patient/index.ts';

export { parseJsonBody } from './json/index.ts';

export {
  FHIR_JSON_CONTENT_TYPE,
  MAX_BODY_BYTES,
  checkBodySize,
  checkFormatParameter,
  httpDate,
  ifMatchAdmits,
  isJsonContentType,
  isLegacyXmlContentType,
  negotiateAccept,
  parseIfMatch,
  parsePreferReturn,
  weakEtag,
} from './http/index.ts';
export type { IfMatch, ReturnPreference } from './http/index.ts';

export {
  CodingSchema,
  FgmFlagSchema,
  FlagStatusSchema,
  OperationOutcomeIssueSchema,
  OperationOutcomeSchema,
  RemovalExtensionCodingSchema,
  RemovalExtensionConceptSchema,
  RemovalExtensionSchema,
  SearchBundleSchema,
} from './fhir/index.ts';
export type { Coding, FgmFlag, FlagStatus, OperationOutcome, RemovalExtension, SearchBundle } from './fhir/index.ts';

export {
  FGM_CODE,
  FGM_DISPLAY,
  NHS_NUMBER_SYSTEM,
  REMOVAL_EXTENSION_URLS,
  REMOVAL_REASONS,
  REMOVAL_REASON_SYSTEMS,
  SNOMED_SYSTEM,
  buildActiveFlag,
  buildRemovedFlag,
  isCurrentFlag,
  isFhirId,
} from './flag/index.ts';
export type { FlagRecord, NewFlagInput } from './flag/index.ts';

export { SEARCH_PARAMETER, buildSearchBundle, parseSearchQuery, searchMatch } from './search/index.ts';
export type { QuerySource, SearchBundleInput } from './search/index.ts';

export { decideAdd, validateAddBody } from './add/index.ts';
export type { AddDecisionInput, AddRequest } from './add/index.ts';

export { decideRemoval, decideRemove, parseRemoveBody } from './remove/index.ts';
export { AddBodySchema, RemoveBodySchema } from './request-schemas/index.ts';
export type { RemovalDecisionInput, RemoveBody, RemoveDecisionInput } from './remove/index.ts';

export { buildCapabilityStatement } from './capability/index.ts';
export type { CapabilityInput } from './capability/index.ts';

export {
  DELETE_REASON_SYSTEM,
  FHIR_NAMESPACE,
  LEGACY_ERRORS,
  LEGACY_EVENTS,
  LEGACY_INTERACTIONS,
  LEGACY_MAPPING,
  LEGACY_NHS_NUMBER_SYSTEM,
  LEGACY_PERMISSION,
  RISK_INDICATOR_SYSTEM,
  SPINE_RESPONSE_CODE_SYSTEM,
  checkAuthor,
  eventUrn,
  legacyOutcome,
  legacyOutcomeOf,
  legacyRemoval,
  messageTraceId,
  parseEnvelope,
  parseLegacyCreate,
  parseLegacyDelete,
  parseLegacyQuery,
  responseCodeOf,
  responseEvent,
} from './legacy/index.ts';
export type {
  EnvelopeFacts,
  LegacyCode,
  LegacyCreate,
  LegacyDelete,
  LegacyDeleteReason,
  LegacyEnvelope,
  LegacyErrorKey,
  LegacyErrorRow,
  LegacyInteraction,
  LegacyOutcome,
  LegacyResult,
  LegacyStatus,
  LegacyUser,
  XmlElement,
} from './legacy/index.ts';
