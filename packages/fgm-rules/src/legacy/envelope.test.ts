import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { el, entry, legacyMessage, parameters, practitioner, v } from '../test-support/fixtures.ts';
import { checkAuthor, messageTraceId, parseEnvelope, responseEvent } from './envelope.ts';
import type { XmlElement } from './message.ts';

const query = () => legacyMessage({ event: 'FGMQuery_2_0', focus: parameters([['RiskIndicator', 'FGM']]) });
const create = (author = practitioner()) => legacyMessage({ event: 'FGMCreate_1_0', focus: el('Flag', {}, [v('id', 'flag-1')]), author });

/** Replaces the header's child called `name` (or removes it when `replacement` is undefined). */
const withHeader = (name: string, replacement?: XmlElement) => (children: XmlElement[]) =>
  children.flatMap((child) => (child.name === name ? (replacement ? [replacement] : []) : [child]));

const diagnosticsOf = (result: ReturnType<typeof parseEnvelope>['result']) =>
  result.ok ? 'ok' : `${result.error.code}: ${result.error.diagnostics}`;

describe('parseEnvelope (L-3, L-11.5, L-11.6)', () => {
  it('reads a well-formed query envelope', () => {
    const { facts, result } = parseEnvelope(query(), 'query', null);
    expect(facts).toEqual({
      messageId: 'msg-1',
      senderEndpoint: 'urn:nhs:addressing:asid:200000000001',
      requestEvent: 'urn:nhs:names:services:clinicals-sync:FGMQuery_2_0',
    });
    expect(result.ok && { sender: result.value.senderAsid, receiver: result.value.receiverAsid, focus: result.value.focus.name }).toEqual({
      sender: '200000000001',
      receiver: '200000000000',
      focus: 'Parameters',
    });
  });

  it.each<[string, XmlElement, string]>([
    ['a root that is not a Bundle', el('Parameters'), 'The root element must be a FHIR Bundle'],
    ['a root in another namespace', { ...query(), fhir: false }, 'The root element must be a FHIR Bundle'],
    ['a Bundle of another type', el('Bundle', {}, [v('type', 'collection')]), 'Bundle.type must be message'],
    [
      'a Bundle without a MessageHeader first',
      el('Bundle', {}, [v('type', 'message'), entry(parameters([]))]),
      'The first entry of the Bundle must be a MessageHeader',
    ],
    [
      'a MessageHeader without an id',
      legacyMessage({ event: 'FGMQuery_2_0', focus: parameters([]), header: withHeader('id') }),
      'MessageHeader.id must be present: 1 to 64 characters, no control characters',
    ],
    [
      'a MessageHeader id of 65 characters',
      legacyMessage({ event: 'FGMQuery_2_0', focus: parameters([]), header: withHeader('id', v('id', 'x'.repeat(65))) }),
      'MessageHeader.id must be present: 1 to 64 characters, no control characters',
    ],
    [
      'no timestamp',
      legacyMessage({ event: 'FGMQuery_2_0', focus: parameters([]), header: withHeader('timestamp') }),
      'MessageHeader.timestamp must be present',
    ],
    [
      'no event',
      legacyMessage({ event: 'FGMQuery_2_0', focus: parameters([]), header: withHeader('event') }),
      'MessageHeader.event.code must be present',
    ],
    [
      'no source endpoint',
      legacyMessage({ event: 'FGMQuery_2_0', focus: parameters([]), header: withHeader('source', el('source', {}, [v('name', 'x')])) }),
      'MessageHeader.source.endpoint must be present',
    ],
    [
      'no destination',
      legacyMessage({ event: 'FGMQuery_2_0', focus: parameters([]), header: withHeader('destination') }),
      'MessageHeader.destination.endpoint must be present',
    ],
    [
      'a source endpoint that is not an ASID',
      legacyMessage({
        event: 'FGMQuery_2_0',
        focus: parameters([]),
        header: withHeader('source', el('source', {}, [v('endpoint', 'urn:nhs:addressing:asid:12345')])),
      }),
      'MessageHeader.source.endpoint must be urn:nhs:addressing:asid: followed by 12 digits',
    ],
    [
      'a destination endpoint that is not an ASID',
      legacyMessage({
        event: 'FGMQuery_2_0',
        focus: parameters([]),
        header: withHeader('destination', el('destination', {}, [v('endpoint', 'https://spine')])),
      }),
      'MessageHeader.destination.endpoint must be urn:nhs:addressing:asid: followed by 12 digits',
    ],
    [
      'an event of another endpoint',
      legacyMessage({ event: 'FGMCreate_1_0', focus: parameters([]) }),
      'MessageHeader.event.code is not an event of this endpoint: expected urn:nhs:names:services:clinicals-sync:FGMQuery_2_0 or urn:nhs:names:services:clinicals-sync:FGMQuery_1_0',
    ],
    [
      'data naming no entry',
      legacyMessage({
        event: 'FGMQuery_2_0',
        focus: parameters([]),
        header: withHeader('data', el('data', {}, [v('reference', 'Parameters/other')])),
      }),
      'MessageHeader.data.reference must name a resource that is an entry of the Bundle',
    ],
    [
      'data naming a resource of the wrong type',
      legacyMessage({ event: 'FGMQuery_2_0', focus: el('Flag', {}, [v('id', 'f')]) }),
      'MessageHeader.data.reference must name a Parameters for this endpoint',
    ],
  ])('refuses %s', (_name, message, diagnostics) => {
    expect(diagnosticsOf(parseEnvelope(message, 'query', null).result)).toBe(`MESSAGE_NOT_WELL_FORMED: ${diagnostics}`);
  });

  const withId = (id: string) => legacyMessage({ event: 'FGMQuery_2_0', focus: parameters([]), header: withHeader('id', v('id', id)) });
  const idRefused = 'MESSAGE_NOT_WELL_FORMED: MessageHeader.id must be present: 1 to 64 characters, no control characters';

  it.each([
    ['a line separator inside', 'msg\u2028id'],
    ['32 emoji', '😀'.repeat(32)],
    ['64 emoji: 64 characters (128 UTF-16 units)', '😀'.repeat(64)],
    ['three spaces', '   '],
    ['64 characters', 'x'.repeat(64)],
  ])('[H-06] takes a MessageHeader id of %s, and keeps it for the reply and the audit trail (L-11.5)', (_name, id) => {
    const { facts, result } = parseEnvelope(withId(id), 'query', null);
    expect(result.ok && result.value.messageId).toBe(id);
    expect(facts.messageId).toBe(id);
  });

  it.each([
    ['a C1 control (U+0085, next line)', 'abc\u0085def'],
    ['a C1 control (U+009F)', '\u009f'],
    ['DEL', 'abc\u007fdef'],
    ['a tab', 'abc\tdef'],
    ['65 emoji (65 characters)', '😀'.repeat(65)],
    ['nothing', ''],
    ['a lone surrogate (not a character)', 'abc\ud800'],
    ['U+FFFF (not a character XML can carry)', 'abc\uffff'],
  ])('[H-06] refuses a MessageHeader id of %s, and keeps none of it (L-11.5)', (_name, id) => {
    const { facts, result } = parseEnvelope(withId(id), 'query', null);
    expect(diagnosticsOf(result)).toBe(idRefused);
    expect(facts.messageId).toBeUndefined();
  });

  it('[H-06] property: an id is taken exactly when it is 1 to 64 characters (code points), none a control, and is kept as sent (L-11.5, L-9)', () => {
    const unit = fc.oneof(
      fc.constantFrom('\u0085', '\u009f', '\u007f', '\u0000', '\t', '\u2028', '\ud800', '\udc00', '\ufffe', '😀', ' ', 'x'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    const reference = (id: string) => [...id].length >= 1 && [...id].length <= 64 && !/[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u.test(id);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit, maxLength: 70 })), (id) => {
        const { facts, result } = parseEnvelope(withId(id), 'query', null);
        if (reference(id)) {
          expect(result.ok).toBe(true);
          expect(facts.messageId).toBe(id);
        } else {
          expect(diagnosticsOf(result)).toBe(idRefused);
          expect(facts.messageId).toBeUndefined();
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('[H-06] messageTraceId is the rule parseEnvelope applies: what it accepts is recorded as sent, always the same way (L-9, L-11.5)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 70 })), (id) => {
        const recorded = messageTraceId(id);
        expect(parseEnvelope(withId(id), 'query', null).facts.messageId).toBe(recorded);
        if (recorded !== undefined) {
          expect(recorded).toBe(id);
          expect(messageTraceId(recorded)).toBe(recorded);
        }
      }),
      { numRuns: 2000 },
    );
    expect(messageTraceId(undefined)).toBeUndefined();
  });

  it('create and delete need an author that resolves to a Practitioner entry (L-11.6)', () => {
    const noAuthor = legacyMessage({ event: 'FGMCreate_1_0', focus: el('Flag', {}, [v('id', 'flag-1')]) });
    expect(diagnosticsOf(parseEnvelope(noAuthor, 'create', null).result)).toBe(
      'MESSAGE_NOT_WELL_FORMED: MessageHeader.author.reference must name a Practitioner that is an entry of the Bundle',
    );
    expect(parseEnvelope(create(), 'create', null).result.ok).toBe(true);
  });

  it.each([
    [null, true],
    ['', true],
    ['""', true],
    ['"urn:nhs:names:services:clinicals-sync:FGMQuery_2_0"', true],
    ['urn:nhs:names:services:clinicals-sync/FGMQuery_2_0', true],
    ['"urn:nhs:names:services:clinicals-sync/FGMQuery_1_0"', false],
    ['urn:nhs:names:services:clinicals-sync:FGMCreate_1_0', false],
  ])('SOAPAction %j matches the event: %s', (soapAction, ok) => {
    expect(parseEnvelope(query(), 'query', soapAction).result.ok).toBe(ok);
  });

  it('keeps what it could read for the response, even when it refuses', () => {
    const message = legacyMessage({ event: 'FGMQuery_2_0', focus: parameters([]), header: withHeader('timestamp') });
    expect(parseEnvelope(message, 'query', null).facts).toMatchObject({ messageId: 'msg-1', senderEndpoint: 'urn:nhs:addressing:asid:200000000001' });
  });

  it('answers a 1_0 query with the 1_0 response event, and falls back to the endpoint’s default (L-11.8, L-11.9)', () => {
    expect(responseEvent('query', 'urn:nhs:names:services:clinicals-sync:FGMQuery_1_0')).toEqual({
      code: 'urn:nhs:names:services:clinicals-sync:FGMQueryResponse_1_0',
      system: 'http://fhir.nhs.net/ValueSet/message-event-1-0',
    });
    expect(responseEvent('query', undefined).code).toBe('urn:nhs:names:services:clinicals-sync:FGMQueryResponse_2_0');
    expect(responseEvent('delete', 'nonsense').code).toBe('urn:nhs:names:services:clinicals-sync:FGMDeleteResponse_1_0');
  });
});

describe('checkAuthor (L-4, L-11.6)', () => {
  const envelopeOf = (message: XmlElement, interaction: 'query' | 'create') => {
    const { result } = parseEnvelope(message, interaction, null);
    if (!result.ok) throw new Error(result.error.diagnostics);
    return result.value;
  };

  it('takes the SDS user and role profile ids', () => {
    expect(checkAuthor(envelopeOf(create(), 'create'), 'create')).toEqual({
      ok: true,
      value: { sub: '555555555555', role: '555555555666', org: undefined },
    });
  });

  it.each([
    ['no role profile id', { user: '555555555555' }],
    ['no user id', { role: '555555555666' }],
    ['an id too long for the audit trail', { user: 'x'.repeat(65), role: '555555555666' }],
  ])('[H-06] refuses a create author with %s (401 AUTHOR_CREDENTIALS_ERROR)', (_name, ids) => {
    const result = checkAuthor(envelopeOf(create(practitioner(ids)), 'create'), 'create');
    expect(result.ok ? 'ok' : [result.error.status, result.error.code, result.error.severity]).toEqual([401, 'AUTHOR_CREDENTIALS_ERROR', 'fatal']);
  });

  it('lets a query through without SDS ids', () => {
    expect(checkAuthor(envelopeOf(query(), 'query'), 'query')).toEqual({ ok: true, value: { sub: undefined, role: undefined, org: undefined } });
  });
});
