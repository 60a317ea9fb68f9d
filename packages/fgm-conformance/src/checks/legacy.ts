/**
 * The legacy messaging checks: every row of the legacy error table a client
 * can reach (L§3, L-2, L-4), the envelope rules (L-3), the three
 * interactions and their answers (L-5 … L-8), and one register with R4 (L-1).
 *
 * @internal
 */
import { ASID, type Answer } from '../http/index.ts';
import { type Context, SEEDED_PATIENT } from '../runner/context.ts';
import { type LegacyExpectation, expectEqual, expectLegacyError, expectStatus, expectThat, jsonOf, legacyMessageOf } from '../runner/expect.ts';
import { type Check, uuid } from './check.ts';

const EVENT = 'urn:nhs:names:services:clinicals-sync:';

/** The parts of a request message a check may vary. */
interface MessageParts {
  readonly event?: string;
  readonly from?: string;
  readonly to?: string;
  readonly messageId?: string;
  /** The author's SDS ids; `null`: no author at all. */
  readonly author?: { userId?: string; roleId?: string } | null;
  readonly namespace?: boolean;
}

/** @internal A message Bundle around a focus resource. */
function message(focusType: 'Parameters' | 'Flag', focus: string, parts: MessageParts & { event: string }): string {
  const author = parts.author === undefined ? { userId: '555555555555', roleId: '555555555666' } : parts.author;
  const identifiers = author
    ? `${author.userId ? `<identifier><system value="http://fhir.nhs.net/Id/sds-user-id"/><value value="${author.userId}"/></identifier>` : ''}` +
      `${author.roleId ? `<identifier><system value="http://fhir.nhs.net/Id/sds-role-profile-id"/><value value="${author.roleId}"/></identifier>` : ''}`
    : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Bundle${parts.namespace === false ? '' : ' xmlns="http://hl7.org/fhir"'}><id value="${uuid()}"/><type value="message"/>` +
    `<entry><resource><MessageHeader><id value="${parts.messageId ?? uuid()}"/><timestamp value="${new Date().toISOString()}"/>` +
    `<event><system value="http://fhir.nhs.net/ValueSet/message-event-2-0"/><code value="${parts.event}"/></event>` +
    `<source><endpoint value="urn:nhs:addressing:asid:${parts.from ?? ASID.full}"/></source>` +
    `<destination><endpoint value="urn:nhs:addressing:asid:${parts.to ?? ASID.service}"/></destination>` +
    `${author ? '<author><reference value="Practitioner/author"/></author>' : ''}<data><reference value="${focusType}/focus"/></data></MessageHeader></resource></entry>` +
    `<entry><resource>${focus}</resource></entry>` +
    `${author ? `<entry><resource><Practitioner><id value="author"/>${identifiers}</Practitioner></resource></entry>` : ''}</Bundle>`
  );
}

const parameter = (name: string, value: string) => `<parameter><name value="${name}"/><valueString value="${value}"/></parameter>`;

/** A query message for an NHS number. */
function queryMessage(nhsNumber: string, parts: MessageParts = {}, risk = 'FGM'): string {
  return message(
    'Parameters',
    `<Parameters><id value="focus"/>${parameter('RiskIndicator', risk)}${parameter('NHSNumber', nhsNumber)}</Parameters>`,
    {
      event: `${EVENT}FGMQuery_2_0`,
      ...parts,
    },
  );
}

/** A create message (L§2.2). */
function createMessage(nhsNumber: string, birthDate: string, parts: MessageParts = {}, assessmentDate = '2024-05-01'): string {
  const flag = `<Flag><id value="focus"/><contained><Patient><id value="patient"/><identifier><system value="http://fhir.nhs.net/Id/nhs-number"/><value value="${nhsNumber}"/></identifier><birthDate value="${birthDate}"/><careProvider><reference value="#gp"/></careProvider></Patient></contained><contained><Organization><id value="gp"/><identifier><system value="http://fhir.nhs.net/Id/ods-organization-code"/><value value="V81997"/></identifier></Organization></contained><status value="active"/><period><start value="${assessmentDate}"/></period><subject><reference value="#patient"/></subject><code><coding><system value="http://fhir.nhs.net/ValueSet/risk-indicator-type-1-0"/><code value="FGM"/></coding></code></Flag>`;
  return message('Flag', flag, { event: `${EVENT}FGMCreate_1_0`, ...parts });
}

/** A delete message (L§2.3). */
function deleteMessage(nhsNumber: string, reason: string, parts: MessageParts = {}): string {
  const reasonParameter = `<parameter><name value="FGMDeleteReason"/><valueCodeableConcept><coding><system value="http://fhir.nhs.net/ValueSet/fgm-delete-reason-codes-1-0"/><code value="${reason}"/></coding></valueCodeableConcept></parameter>`;
  return message(
    'Parameters',
    `<Parameters><id value="focus"/>${parameter('RiskIndicator', 'FGM')}${parameter('NHSNumber', nhsNumber)}${reasonParameter}</Parameters>`,
    { event: `${EVENT}FGMDelete_1_0`, ...parts },
  );
}

/** Puts a patient into "no active flag" through the legacy channel (for runs without R4), never the seeded patient's. */
export async function clearByMessage(c: Context, nhsNumber: string): Promise<void> {
  if (nhsNumber === SEEDED_PATIENT) throw new Error('the kit never removes the seeded flag of 9000000009');
  if (c.channels.includes('r4')) return c.clearFlag(nhsNumber);
  const found = await c.legacy('query', queryMessage(nhsNumber));
  if (found.status === 200) expectStatus(await c.legacy('delete', deleteMessage(nhsNumber, '0')), 200);
}

/** Puts the seeded patient into "has an active flag" (adding one when someone removed it). */
async function seeded(c: Context): Promise<void> {
  if (c.channels.includes('r4')) {
    await c.seededFlag();
    return;
  }
  const found = await c.legacy('query', queryMessage(SEEDED_PATIENT));
  if (found.status === 404) expectStatus(await c.legacy('create', createMessage(SEEDED_PATIENT, '2015-06-01', {}, '2019-12-10')), 201);
}

const invalid = (code: string, diagnostics?: string): LegacyExpectation => ({
  status: 400,
  code,
  severity: 'error',
  issueType: code === 'MESSAGE_NOT_WELL_FORMED' ? 'structure' : 'invalid',
  ...(diagnostics === undefined ? {} : { diagnostics }),
});
const ASID_FAILED: LegacyExpectation = { status: 403, code: 'ASID_CHECK_FAILED', severity: 'error', issueType: 'forbidden' };

/** A legacy error reached by one message. */
function row(id: string, clause: string, title: string, expected: LegacyExpectation, ask: (c: Context) => Promise<Answer>): Check {
  return { id, clause, channel: 'legacy', title, run: async (c) => void expectLegacyError(await ask(c), expected) };
}

const ROWS: Check[] = [
  row(
    'L-NO_RECORD_FOUND',
    'L§3, L-5',
    'query for a child with no flag',
    { status: 404, code: 'NO_RECORD_FOUND', severity: 'error', issueType: 'not-found' },
    async (c) => {
      await clearByMessage(c, '9000000084');
      return c.legacy('query', queryMessage('9000000084'));
    },
  ),
  row('L-INVALID_NHS_NUMBER-query', 'L§3, L-5', 'query for an NHS number failing its check digit', invalid('INVALID_NHS_NUMBER'), (c) =>
    c.legacy('query', queryMessage('1234567890')),
  ),
  row('L-INVALID_NHS_NUMBER-directory', 'L§3, L-6', 'create for a valid NHS number the directory does not know', invalid('INVALID_NHS_NUMBER'), (c) =>
    c.legacy('create', createMessage('9700000001', '2015-01-01')),
  ),
  row('L-PATIENT_OVER_18', 'L§3, L-6', 'create for a patient aged 18 or over', invalid('PATIENT_OVER_18'), (c) =>
    c.legacy('create', createMessage('9000000033', '1990-07-04')),
  ),
  row('L-INVALID_PARAMETER-risk', 'L§3, L-11.1', 'query with RiskIndicator other than FGM', invalid('INVALID_PARAMETER'), (c) =>
    c.legacy('query', queryMessage(SEEDED_PATIENT, {}, 'XYZ')),
  ),
  row(
    'L-INVALID_PARAMETER-gender',
    'L-6',
    'create for a patient the directory records as male',
    invalid('INVALID_PARAMETER', 'Patient gender must be female, unknown or indeterminate'),
    (c) => c.legacy('create', createMessage('9000000025', '2014-01-20')),
  ),
  row(
    'L-INVALID_PARAMETER-reason-1',
    'L-7',
    'delete with reason 1, which does not lapse',
    invalid('INVALID_PARAMETER', 'FGMDeleteReason 1 is not accepted: a family history of FGM does not lapse; use 0 or 2'),
    async (c) => {
      // On a flag of this run's own, never the seeded one: a server that wrongly accepted reason 1 would remove it.
      await clearByMessage(c, '9000000084');
      expectStatus(await c.legacy('create', createMessage('9000000084', '2011-09-09')), 201);
      return c.legacy('delete', deleteMessage('9000000084', '1'));
    },
  ),
  row('L-MESSAGE_NOT_WELL_FORMED-content-type', 'L-2', 'a message sent as application/json', invalid('MESSAGE_NOT_WELL_FORMED'), (c) =>
    c.legacy('query', queryMessage(SEEDED_PATIENT), { 'Content-Type': 'application/json' }),
  ),
  row('L-MESSAGE_NOT_WELL_FORMED-doctype', 'L-2, L-11.3', 'a message with a DOCTYPE', invalid('MESSAGE_NOT_WELL_FORMED'), (c) =>
    c.legacy('query', queryMessage(SEEDED_PATIENT).replace('<Bundle', '<!DOCTYPE Bundle [<!ENTITY x "y">]><Bundle')),
  ),
  row('L-MESSAGE_NOT_WELL_FORMED-soapaction', 'L-3', 'a SOAPAction naming another action', invalid('MESSAGE_NOT_WELL_FORMED'), (c) =>
    c.legacy('query', queryMessage(SEEDED_PATIENT), { SOAPAction: `"${EVENT}FGMCreate_1_0"` }),
  ),
  row('L-MESSAGE_NOT_WELL_FORMED-event', 'L-3', 'a create event sent to the query path', invalid('MESSAGE_NOT_WELL_FORMED'), (c) =>
    c.legacy('query', queryMessage(SEEDED_PATIENT, { event: `${EVENT}FGMCreate_1_0` })),
  ),
  row('L-MESSAGE_NOT_WELL_FORMED-no-author', 'L-3, L-11.6', 'a delete without author.reference', invalid('MESSAGE_NOT_WELL_FORMED'), (c) =>
    c.legacy('delete', deleteMessage('9000000084', '0', { author: null })),
  ),
  row(
    'L-MESSAGE_NOT_WELL_FORMED-413',
    'L-2, L-11.2',
    'a 70 KiB message',
    { status: 413, code: 'MESSAGE_NOT_WELL_FORMED', severity: 'error', issueType: 'too-costly', diagnostics: 'Request body too large' },
    (c) =>
      c.legacy('query', queryMessage(SEEDED_PATIENT).replace('<type value="message"/>', `<type value="message"/><!--${'x'.repeat(70 * 1024)}-->`)),
  ),
  row(
    'L-MESSAGE_NOT_WELL_FORMED-405',
    'L-2',
    'GET on a legacy path',
    { status: 405, code: 'MESSAGE_NOT_WELL_FORMED', severity: 'error', issueType: 'structure', diagnostics: 'Only POST is supported' },
    (c) => c.server.send({ path: '/fhir/fgm/query' }),
  ),
  row('L-ASID_CHECK_FAILED-receiver', 'L§3, L-4', 'a message to another receiver ASID', ASID_FAILED, (c) =>
    c.legacy('query', queryMessage(SEEDED_PATIENT, { to: ASID.unknown })),
  ),
  row('L-ASID_CHECK_FAILED-sender', 'L§3, L-4', 'a create from a system allowed only queries', ASID_FAILED, (c) =>
    c.legacy('create', createMessage('9000000084', '2011-09-09', { from: ASID.readOnly })),
  ),
  row('L-ASID_CHECK_FAILED-no-access', 'L§3, L-4', 'a query from a known system with no FGM access', ASID_FAILED, (c) =>
    c.legacy('query', queryMessage(SEEDED_PATIENT, { from: ASID.none })),
  ),
  row(
    'L-AUTHOR_CREDENTIALS_ERROR',
    'L§3, L-4, L-11.6',
    'a create whose author has no SDS role profile id',
    { status: 401, code: 'AUTHOR_CREDENTIALS_ERROR', severity: 'fatal', issueType: 'forbidden' },
    (c) => c.legacy('create', createMessage('9000000084', '2011-09-09', { author: { userId: '555555555555' } })),
  ),
];

const FLOWS: Check[] = [
  {
    id: 'L-5-query-hit',
    clause: 'L-5, L§2.4, L-11.8',
    channel: 'legacy',
    title: 'query finds the seeded flag: 200, response.identifier and code, data → the Flag, the R4 flag id',
    run: async (c) => {
      await seeded(c);
      const messageId = uuid();
      const answer = await c.legacy('query', queryMessage(SEEDED_PATIENT, { messageId }));
      expectStatus(answer, 200);
      const read = legacyMessageOf(answer);
      expectEqual(read.header.responseIdentifier, messageId, 'MessageHeader.response.identifier');
      expectEqual(read.header.responseCode, 'ok', 'MessageHeader.response.code');
      expectEqual(read.header.event, `${EVENT}FGMQueryResponse_2_0`, 'MessageHeader.event.code');
      expectEqual(read.header.sourceName, 'FGM-IS', 'MessageHeader.source.name');
      expectEqual(read.header.destinationEndpoint, `urn:nhs:addressing:asid:${ASID.full}`, 'MessageHeader.destination.endpoint');
      expectEqual(read.flag?.status, 'active', 'Flag.status');
      expectEqual(read.flag?.nhsNumber, SEEDED_PATIENT, 'the contained Patient’s NHS number');
      expectEqual(read.header.data, `Flag/${read.flag?.id}`, 'MessageHeader.data.reference');
      if (c.channels.includes('r4')) expectEqual(read.flag?.id, (await c.activeFlag(SEEDED_PATIENT))?.id, 'the R4 flag id (L-5)');
    },
  },
  {
    id: 'L-11.3-no-namespace',
    clause: 'L-2, L-11.3',
    channel: 'legacy',
    title: 'a message without the FHIR namespace on its root is answered like one with it',
    run: async (c) => {
      await seeded(c);
      expectStatus(await c.legacy('query', queryMessage(SEEDED_PATIENT, { namespace: false })), 200);
    },
  },
  {
    id: 'L-11.9-query-1_0',
    clause: 'L§1, L-11.9',
    channel: 'legacy',
    title: 'a 1_0 query is answered with the 1_0 response event',
    run: async (c) => {
      await seeded(c);
      const answer = await c.legacy('query', queryMessage(SEEDED_PATIENT, { event: `${EVENT}FGMQuery_1_0` }));
      expectStatus(answer, 200);
      expectEqual(legacyMessageOf(answer).header.event, `${EVENT}FGMQueryResponse_1_0`, 'MessageHeader.event.code');
    },
  },
  {
    id: 'L-6-create-then-delete',
    clause: 'L-1, L-6, L-7',
    channel: 'legacy',
    title: 'create (201), again (422 FLAG_ALREADY_SET, response ok), found by query; delete reason 2 (200), again 404',
    run: async (c) => {
      await clearByMessage(c, '9000000084');
      const created = await c.legacy('create', createMessage('9000000084', '2011-09-09'));
      expectStatus(created, 201);
      expectEqual(legacyMessageOf(created).resourceTypes.join(), 'MessageHeader', 'the Bundle holds only the MessageHeader');
      expectLegacyError(await c.legacy('create', createMessage('9000000084', '2011-09-09')), {
        status: 422,
        code: 'FLAG_ALREADY_SET',
        severity: 'warning',
        issueType: 'informational',
      });
      expectStatus(await c.legacy('query', queryMessage('9000000084')), 200);
      if (c.channels.includes('r4')) {
        const r4 = await c.search('9000000084');
        const flag = (jsonOf(r4) as { entry?: Array<{ resource?: { id?: string; period?: { start?: string }; meta?: { versionId?: string } } }> })
          .entry?.[0]?.resource;
        expectEqual(flag?.period?.start, '2024-05-01', 'R4 search finds the legacy create (L-1)');
        expectEqual(flag?.meta?.versionId, '1', 'its meta.versionId');
        const deleted = await c.legacy('delete', deleteMessage('9000000084', '2'));
        expectStatus(deleted, 200);
        const read = await c.read(flag?.id ?? '');
        const removed = jsonOf(read) as { status?: string; extension?: Array<{ valueCoding?: { code?: string } }> };
        expectEqual(removed.status, 'inactive', 'R4 read after delete reason 2 (L-7)');
        expectEqual(removed.extension?.[0]?.valueCoding?.code, '2', 'the removal reason code');
      } else {
        expectStatus(await c.legacy('delete', deleteMessage('9000000084', '2')), 200);
      }
      expectLegacyError(await c.legacy('delete', deleteMessage('9000000084', '0')), {
        status: 404,
        code: 'NO_RECORD_FOUND',
        severity: 'error',
        issueType: 'not-found',
      });
    },
  },
  {
    id: 'L-11.4-trailing-slash',
    clause: 'L-11.4, D-12',
    channel: 'legacy',
    title: 'a legacy path with a trailing slash is the R4 404, not a legacy endpoint',
    run: async (c) => {
      const answer = await c.server.send({
        method: 'POST',
        path: '/fhir/fgm/query/',
        headers: { 'Content-Type': 'application/xml+fhir' },
        body: queryMessage(SEEDED_PATIENT),
      });
      expectStatus(answer, 404);
      expectEqual(jsonOf(answer).resourceType, 'OperationOutcome', 'resourceType');
    },
  },
  {
    id: 'L-11.6-no-challenge',
    clause: 'L-11.6',
    channel: 'legacy',
    title: 'AUTHOR_CREDENTIALS_ERROR is sent without a WWW-Authenticate challenge',
    run: async (c) => {
      const answer = await c.legacy('delete', deleteMessage('9000000084', '0', { author: { roleId: '555555555666' } }));
      expectStatus(answer, 401);
      expectThat(answer.headers.get('WWW-Authenticate') === null, 'no WWW-Authenticate header');
    },
  },
];

/** Every legacy check, in the order they run. */
export const LEGACY_CHECKS: readonly Check[] = [...ROWS, ...FLOWS];
