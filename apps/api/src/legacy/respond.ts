/**
 * Legacy responses (L§2.4, L-8, L-11.8): every answer is a DSTU2 message
 * Bundle in XML whose MessageHeader answers the request's; an error adds an
 * OperationOutcome entry, a query hit the Flag.
 */
import {
  type EnvelopeFacts,
  type FgmFlag,
  LEGACY_NHS_NUMBER_SYSTEM,
  type LegacyInteraction,
  type LegacyOutcome,
  RISK_INDICATOR_SYSTEM,
  SPINE_RESPONSE_CODE_SYSTEM,
  responseCodeOf,
  responseEvent,
} from '@fgm-is/rules';
import { escapeAttribute } from './xml.ts';

/** The Content-Type of every legacy response (L-2). */
export const LEGACY_CONTENT_TYPE = 'application/xml+fhir; charset=utf-8';

const PROFILE = 'http://fhir.nhs.net/StructureDefinition/';
const SERVICE_NAME = 'FGM-IS';

/** What a response is made of. */
export interface LegacyReplyInput {
  readonly interaction: LegacyInteraction;
  /** What could be read of the request's header. */
  readonly facts: EnvelopeFacts;
  /** Used as `response.identifier` when the request MessageHeader id could not be read (L-8). */
  readonly requestId: string;
  readonly serviceAsid: string;
  /** ISO instant of the response. */
  readonly now: string;
  /** Fresh ids for the Bundle, the MessageHeader, the OperationOutcome and the contained Patient. */
  readonly newId: () => string;
  /** The error or warning, when there is one. */
  readonly outcome?: LegacyOutcome | undefined;
  /** The Flag a query found. */
  readonly flag?: FgmFlag | undefined;
}

/** @internal `<name value="…"/>`. */
const value = (name: string, text: string) => `<${name} value="${escapeAttribute(text)}"/>`;
/** @internal `<meta><profile value="…"/></meta>`. */
const profile = (name: string) => `<meta>${value('profile', `${PROFILE}${name}`)}</meta>`;
/** @internal A Bundle entry around a resource. */
const entry = (resource: string) => `<entry><resource>${resource}</resource></entry>`;

/** @internal The OperationOutcome of an error or warning (spine-operationoutcome-1-0). */
function operationOutcome(id: string, outcome: LegacyOutcome): string {
  return (
    `<OperationOutcome>${value('id', id)}${profile('spine-operationoutcome-1-0')}<issue>${value('severity', outcome.severity)}${value('code', outcome.issueType)}` +
    `<details><coding>${value('system', SPINE_RESPONSE_CODE_SYSTEM)}${value('code', outcome.code)}${value('display', outcome.display)}</coding></details>` +
    `${value('diagnostics', outcome.diagnostics)}</issue></OperationOutcome>`
  );
}

/** @internal The Flag of a query hit (spine-ris-flag-1-0), its contained Patient carrying only the NHS number. */
function legacyFlag(flag: FgmFlag, patientId: string): string {
  return (
    `<Flag>${value('id', flag.id)}${profile('spine-ris-flag-1-0')}` +
    `<contained><Patient>${value('id', patientId)}${profile('spine-ris-patient-1-0')}` +
    `<identifier>${value('system', LEGACY_NHS_NUMBER_SYSTEM)}${value('value', flag.subject.identifier.value)}</identifier></Patient></contained>` +
    `${value('status', flag.status)}<period>${value('start', flag.period.start)}</period><subject>${value('reference', `#${patientId}`)}</subject>` +
    `<code><coding>${value('system', RISK_INDICATOR_SYSTEM)}${value('code', 'FGM')}</coding></code></Flag>`
  );
}

/**
 * The response message Bundle. Its MessageHeader (spine-response-messageheader-2-0)
 * carries the response event for the request's, `response.identifier` (the
 * request's MessageHeader id, else the X-Request-ID), `response.code` (`ok`
 * on success and for the 422 warning, `transient-error` for 503, else
 * `fatal-error`), `details` naming the OperationOutcome, `source` this
 * service, `destination` the sender when its endpoint could be read, and
 * `data` the Flag of a query hit. Every resource has a fresh id except the
 * Flag, whose id is the register's own.
 */
export function legacyReply(input: LegacyReplyInput): string {
  const event = responseEvent(input.interaction, input.facts.requestEvent);
  const outcomeId = input.newId();
  const patientId = input.newId();
  const header =
    `<MessageHeader>${value('id', input.newId())}${profile('spine-response-messageheader-2-0')}${value('timestamp', input.now)}` +
    `<event>${value('system', event.system)}${value('code', event.code)}</event>` +
    `<response>${value('identifier', input.facts.messageId ?? input.requestId)}${value('code', input.outcome ? responseCodeOf(input.outcome) : 'ok')}` +
    `${input.outcome ? `<details>${value('reference', `OperationOutcome/${outcomeId}`)}</details>` : ''}</response>` +
    `<source>${value('name', SERVICE_NAME)}${value('endpoint', `urn:nhs:addressing:asid:${input.serviceAsid}`)}</source>` +
    `${input.facts.senderEndpoint ? `<destination>${value('endpoint', input.facts.senderEndpoint)}</destination>` : ''}` +
    `${input.flag ? `<data>${value('reference', `Flag/${input.flag.id}`)}</data>` : ''}</MessageHeader>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Bundle xmlns="http://hl7.org/fhir">${value('id', input.newId())}${profile('spine-message-bundle-1-0')}` +
    `${value('type', 'message')}${entry(header)}` +
    `${input.outcome ? entry(operationOutcome(outcomeId, input.outcome)) : ''}` +
    `${input.flag ? entry(legacyFlag(input.flag, patientId)) : ''}</Bundle>`
  );
}
