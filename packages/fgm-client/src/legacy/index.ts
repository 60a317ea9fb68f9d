/**
 * The legacy Spine messaging channel (DSTU2 XML): query, create and delete
 * as message Bundles, answered with the same `Result` shape as R4. A query's
 * flag is given in its R4 form, as R4 search gives it.
 *
 * @internal
 */
import {
  DELETE_REASON_SYSTEM,
  FGM_CODE,
  FGM_DISPLAY,
  type FgmFlag,
  LEGACY_EVENTS,
  LEGACY_NHS_NUMBER_SYSTEM,
  type LegacyDeleteReason,
  type LegacyInteraction,
  NHS_NUMBER_SYSTEM,
  RISK_INDICATOR_SYSTEM,
  type Result,
  SNOMED_SYSTEM,
  type XmlElement,
  eventUrn,
  isValidNhsNumber,
} from '@fgm-is/rules';
import { type ClientError, clientError, unexpected } from '../errors/index.ts';
import { type Exchange, type RetryPolicy, type TransportSettings, exchange, withRetry } from '../transport/index.ts';
import { children, entryResources, readXml, valueAt, valueElement } from './xml.ts';

/** The user a legacy message names as its author (L-4): their SDS ids and, optionally, their organisation's ODS code. */
export interface LegacyAuthor {
  readonly userId: string;
  readonly roleProfileId: string;
  readonly odsCode?: string;
}

/** What a legacy call needs from its client. */
export interface LegacyContext {
  readonly transport: TransportSettings;
  readonly retry: RetryPolicy;
  readonly fromAsid: string;
  readonly toAsid: string;
  readonly author: LegacyAuthor | undefined;
  /** The MessageHeader id of a call: its TraceID in the server's audit trail (L-9). */
  readonly traceId: () => string;
  readonly uuid: () => string;
  readonly now: () => Date;
}

/** A flag a legacy query found, in its R4 form (the legacy message carries no version). */
export type LegacyFlag = Omit<FgmFlag, 'meta' | 'extension'>;

/** A query's answer: the child's active flag. "No flag" is the error `NO_RECORD_FOUND` (404), as the legacy API says. */
export interface LegacyQueryValue {
  readonly flag: LegacyFlag;
}

/** A create's or delete's answer: the id of the request message the server acknowledged. */
export interface LegacyAck {
  readonly messageId: string;
}

/** What a legacy create sends (L-6): the assessment, and the child's birth date and GP practice as the message carries them. */
export interface LegacyCreateInput {
  readonly nhsNumber: string;
  readonly assessmentDate: string;
  readonly birthDate: string;
  /** The ODS code of the child's GP practice. */
  readonly gpPractice: string;
}

/** How a legacy delete is made: the reason (`'0'` added in error, `'2'` the child has had FGM; `'1'` is refused by L-7). */
export interface LegacyDeleteOptions {
  readonly reason: LegacyDeleteReason;
}

const PROFILE = 'http://fhir.nhs.net/StructureDefinition/';
const SUCCESS_STATUS: Readonly<Record<LegacyInteraction, number>> = { query: 200, create: 201, delete: 200 };
/** The event each request is sent with: the current version of each (L§1). */
const REQUEST_EVENT: Readonly<Record<LegacyInteraction, { code: string; system: string }>> = {
  query: { code: eventUrn('FGMQuery_2_0'), system: LEGACY_EVENTS.query.FGMQuery_2_0.system },
  create: { code: eventUrn('FGMCreate_1_0'), system: LEGACY_EVENTS.create.FGMCreate_1_0.system },
  delete: { code: eventUrn('FGMDelete_1_0'), system: LEGACY_EVENTS.delete.FGMDelete_1_0.system },
};

/** @internal `<meta><profile/></meta>`. */
const profile = (name: string) => `<meta>${valueElement('profile', `${PROFILE}${name}`)}</meta>`;
/** @internal An identifier with system and value. */
const identifier = (system: string, value: string) => `<identifier>${valueElement('system', system)}${valueElement('value', value)}</identifier>`;
/** @internal A Bundle entry. */
const entry = (resource: string) => `<entry><resource>${resource}</resource></entry>`;
/** @internal A Parameters parameter with a valueString. */
const stringParameter = (name: string, value: string) => `<parameter>${valueElement('name', name)}${valueElement('valueString', value)}</parameter>`;

/** @internal The author's Practitioner (and Organization) entries, and the reference to them. */
function authorEntries(context: LegacyContext, author: LegacyAuthor): { reference: string; entries: string } {
  const practitionerId = context.uuid();
  const organizationId = context.uuid();
  const role =
    author.odsCode === undefined
      ? ''
      : `<practitionerRole><managingOrganization>${valueElement('reference', `Organization/${organizationId}`)}</managingOrganization></practitionerRole>`;
  const practitioner =
    `<Practitioner>${valueElement('id', practitionerId)}${profile('spine-practitioner-1-0')}` +
    `${identifier('http://fhir.nhs.net/Id/sds-user-id', author.userId)}${identifier('http://fhir.nhs.net/Id/sds-role-profile-id', author.roleProfileId)}${role}</Practitioner>`;
  const organization =
    author.odsCode === undefined
      ? ''
      : entry(
          `<Organization>${valueElement('id', organizationId)}${profile('spine-organization-1-0')}${identifier('http://fhir.nhs.net/Id/ods-organization-code', author.odsCode)}</Organization>`,
        );
  return { reference: `Practitioner/${practitionerId}`, entries: entry(practitioner) + organization };
}

/**
 * A request message Bundle (L§2): the MessageHeader naming the event, both
 * ASIDs, the author and the focus, then the focus and the author's entries.
 *
 * @internal
 */
function requestMessage(
  context: LegacyContext,
  interaction: LegacyInteraction,
  messageId: string,
  focus: { type: 'Parameters' | 'Flag'; id: string; resource: string },
): string {
  const event = REQUEST_EVENT[interaction];
  const author = context.author === undefined ? undefined : authorEntries(context, context.author);
  const header =
    `<MessageHeader>${valueElement('id', messageId)}${profile('spine-request-messageheader-2-0')}${valueElement('timestamp', context.now().toISOString())}` +
    `<event>${valueElement('system', event.system)}${valueElement('code', event.code)}</event>` +
    `<source>${valueElement('endpoint', `urn:nhs:addressing:asid:${context.fromAsid}`)}</source>` +
    `<destination>${valueElement('endpoint', `urn:nhs:addressing:asid:${context.toAsid}`)}</destination>` +
    `${author ? `<author>${valueElement('reference', author.reference)}</author>` : ''}` +
    `<data>${valueElement('reference', `${focus.type}/${focus.id}`)}</data></MessageHeader>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Bundle xmlns="http://hl7.org/fhir">${valueElement('id', context.uuid())}${profile('spine-message-bundle-1-0')}` +
    `${valueElement('type', 'message')}${entry(header)}${entry(focus.resource)}${author?.entries ?? ''}</Bundle>`
  );
}

/** @internal The R4 form of a legacy query's Flag, checked against the child it was asked for. */
function legacyFlag(resources: readonly XmlElement[], nhsNumber: string): LegacyFlag | undefined {
  const flag = resources.find((resource) => resource.name === 'Flag');
  const patient = children(flag, 'contained').flatMap((contained) => children(contained, 'Patient'))[0];
  const id = valueAt(flag, 'id');
  const start = valueAt(flag, 'period', 'start');
  const subject = children(patient, 'identifier').find((found) => valueAt(found, 'system') === LEGACY_NHS_NUMBER_SYSTEM);
  if (id === undefined || start === undefined || valueAt(flag, 'status') !== 'active') return undefined;
  if (valueAt(flag, 'code', 'coding', 'system') !== RISK_INDICATOR_SYSTEM || valueAt(flag, 'code', 'coding', 'code') !== 'FGM') return undefined;
  if (valueAt(subject, 'value') !== nhsNumber) return undefined;
  return {
    resourceType: 'Flag',
    id,
    status: 'active',
    code: { coding: [{ system: SNOMED_SYSTEM, code: FGM_CODE, display: FGM_DISPLAY }], text: FGM_DISPLAY },
    subject: { identifier: { system: NHS_NUMBER_SYSTEM, value: nhsNumber } },
    period: { start },
  };
}

/**
 * Reads a legacy answer: an error from its OperationOutcome (the 422
 * warning too), or the MessageHeader that acknowledges this request.
 *
 * @internal
 */
function readAnswer(interaction: LegacyInteraction, messageId: string, answer: Exchange): Result<{ resources: XmlElement[] }, ClientError> {
  const bundle = readXml(answer.text);
  const resources = bundle && bundle.name === 'Bundle' ? entryResources(bundle) : [];
  const header = resources[0]?.name === 'MessageHeader' ? resources[0] : undefined;
  if (header === undefined) return { ok: false, error: unexpected(answer.status, `HTTP ${answer.status} without a message Bundle`) };
  const outcome = resources.find((resource) => resource.name === 'OperationOutcome');
  if (outcome !== undefined) {
    const issue = children(outcome, 'issue')[0];
    const code = valueAt(issue, 'details', 'coding', 'code');
    if (code === undefined) return { ok: false, error: unexpected(answer.status, 'an OperationOutcome without a code') };
    return { ok: false, error: clientError(answer.status, code, valueAt(issue, 'diagnostics') ?? '') };
  }
  if (answer.status !== SUCCESS_STATUS[interaction])
    return { ok: false, error: unexpected(answer.status, `HTTP ${answer.status} without an OperationOutcome`) };
  if (valueAt(header, 'response', 'code') !== 'ok' || valueAt(header, 'response', 'identifier') !== messageId) {
    return { ok: false, error: unexpected(answer.status, 'the MessageHeader does not acknowledge this request') };
  }
  return { ok: true, value: { resources } };
}

/** @internal Sends one message (retrying as the policy allows) and reads the answer. */
function send<T>(
  context: LegacyContext,
  interaction: LegacyInteraction,
  focus: (messageId: string) => { type: 'Parameters' | 'Flag'; id: string; resource: string },
  read: (resources: XmlElement[], messageId: string) => Result<T, ClientError>,
): Promise<Result<T, ClientError>> {
  const event = REQUEST_EVENT[interaction];
  return withRetry(context.retry, async () => {
    const messageId = context.traceId();
    const answer = await exchange(context.transport, {
      method: 'POST',
      path: `/fhir/fgm/${interaction}`,
      headers: {
        'Content-Type': 'application/xml+fhir; charset=utf-8',
        Accept: 'application/xml+fhir',
        SOAPAction: `"${event.code}"`,
        'X-Request-ID': context.uuid(),
      },
      body: requestMessage(context, interaction, messageId, focus(messageId)),
    });
    if (!answer.ok) return answer;
    const read_ = readAnswer(interaction, messageId, answer.value);
    return read_.ok ? read(read_.value.resources, messageId) : read_;
  });
}

/** @internal A local refusal, exactly as the server's for the same fault (L-5, L-6). */
const invalidNhsNumber = (diagnostics = 'NHSNumber is not a valid NHS number'): Promise<Result<never, ClientError>> =>
  Promise.resolve({ ok: false, error: clientError(400, 'INVALID_NHS_NUMBER', diagnostics) });

/** @internal A write without an author cannot be sent (L-4). */
const noAuthor = (): Promise<Result<never, ClientError>> =>
  Promise.resolve({
    ok: false,
    error: clientError(400, 'MESSAGE_NOT_WELL_FORMED', 'Legacy create and delete need an author: pass author to createClient'),
  });

/** `POST /fhir/fgm/query`: the child's active flag; none is the error `NO_RECORD_FOUND` (404). */
export function query(context: LegacyContext, nhsNumber: string): Promise<Result<LegacyQueryValue, ClientError>> {
  if (!isValidNhsNumber(nhsNumber)) return invalidNhsNumber();
  const parametersId = context.uuid();
  const parameters =
    `<Parameters>${valueElement('id', parametersId)}${profile('spine-ris-parameters-1-0')}` +
    `${stringParameter('RiskIndicator', 'FGM')}${stringParameter('NHSNumber', nhsNumber)}</Parameters>`;
  return send(
    context,
    'query',
    () => ({ type: 'Parameters', id: parametersId, resource: parameters }),
    (resources, _messageId) => {
      const flag = legacyFlag(resources, nhsNumber);
      return flag ? { ok: true, value: { flag } } : { ok: false, error: unexpected(200, 'the answer holds no active FGM flag for this NHS number') };
    },
  );
}

/** `POST /fhir/fgm/create`: adds the child's flag (201); a flag already set is the error `FLAG_ALREADY_SET` (422). */
export function create(context: LegacyContext, input: LegacyCreateInput): Promise<Result<LegacyAck, ClientError>> {
  if (context.author === undefined) return noAuthor();
  if (!isValidNhsNumber(input.nhsNumber)) return invalidNhsNumber("The contained Patient's NHS number is not a valid NHS number");
  const flagId = context.uuid();
  const flag =
    `<Flag>${valueElement('id', flagId)}${profile('spine-ris-flag-1-0')}` +
    `<contained><Patient>${valueElement('id', 'patient')}${profile('spine-ris-patient-2-0')}${identifier(LEGACY_NHS_NUMBER_SYSTEM, input.nhsNumber)}` +
    `${valueElement('birthDate', input.birthDate)}<careProvider>${valueElement('reference', '#gp')}</careProvider></Patient></contained>` +
    `<contained><Organization>${valueElement('id', 'gp')}${profile('spine-gp-organization-1-0')}${identifier('http://fhir.nhs.net/Id/ods-organization-code', input.gpPractice)}</Organization></contained>` +
    `${valueElement('status', 'active')}<period>${valueElement('start', input.assessmentDate)}</period><subject>${valueElement('reference', '#patient')}</subject>` +
    `<code><coding>${valueElement('system', RISK_INDICATOR_SYSTEM)}${valueElement('code', 'FGM')}</coding></code></Flag>`;
  return send(
    context,
    'create',
    () => ({ type: 'Flag', id: flagId, resource: flag }),
    (_resources, messageId) => ({ ok: true, value: { messageId } }),
  );
}

/** `POST /fhir/fgm/delete`: removes the child's flag with a reason (200); no flag is the error `NO_RECORD_FOUND` (404). */
export function remove(context: LegacyContext, nhsNumber: string, options: LegacyDeleteOptions): Promise<Result<LegacyAck, ClientError>> {
  if (context.author === undefined) return noAuthor();
  if (!isValidNhsNumber(nhsNumber)) return invalidNhsNumber();
  const parametersId = context.uuid();
  const parameters =
    `<Parameters>${valueElement('id', parametersId)}${profile('spine-fgmdelete-parameters-1-0')}` +
    `${stringParameter('RiskIndicator', 'FGM')}${stringParameter('NHSNumber', nhsNumber)}` +
    `<parameter>${valueElement('name', 'FGMDeleteReason')}<valueCodeableConcept><coding>${valueElement('system', DELETE_REASON_SYSTEM)}` +
    `${valueElement('code', options.reason)}</coding></valueCodeableConcept></parameter></Parameters>`;
  return send(
    context,
    'delete',
    () => ({ type: 'Parameters', id: parametersId, resource: parameters }),
    (_resources, messageId) => ({ ok: true, value: { messageId } }),
  );
}
