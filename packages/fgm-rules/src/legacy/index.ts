/**
 * The legacy Spine messaging API's rules (legacy contract L-1 … L-11): its
 * error table and the second mapping of the R4 decisions, the envelope and
 * author checks, and each interaction's own rules over a parsed message.
 */
export {
  LEGACY_ERRORS,
  LEGACY_INTERACTIONS,
  LEGACY_MAPPING,
  LEGACY_PERMISSION,
  SPINE_RESPONSE_CODE_SYSTEM,
  legacyOutcome,
  legacyOutcomeOf,
  responseCodeOf,
} from './catalogue.ts';
export type { LegacyCode, LegacyErrorKey, LegacyErrorRow, LegacyInteraction, LegacyOutcome, LegacyStatus } from './catalogue.ts';
export { LEGACY_EVENTS, checkAuthor, eventUrn, messageTraceId, parseEnvelope, responseEvent } from './envelope.ts';
export type { EnvelopeFacts, LegacyEnvelope, LegacyResult, LegacyUser } from './envelope.ts';
export { FHIR_NAMESPACE } from './message.ts';
export type { XmlElement } from './message.ts';
export {
  DELETE_REASON_SYSTEM,
  LEGACY_NHS_NUMBER_SYSTEM,
  RISK_INDICATOR_SYSTEM,
  legacyRemoval,
  parseLegacyCreate,
  parseLegacyDelete,
  parseLegacyQuery,
} from './interactions.ts';
export type { LegacyCreate, LegacyDelete, LegacyDeleteReason } from './interactions.ts';
