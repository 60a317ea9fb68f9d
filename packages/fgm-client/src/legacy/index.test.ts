import { describe, expect, it } from 'vitest';
import { createClient } from '../client/index.ts';
import { readLegacyMessage } from './message.ts';
import { readXml, valueElement } from './xml.ts';

const author = { userId: '555555555555', roleProfileId: '555555555666', odsCode: 'A12345' };

/** A fetch that answers one XML body and keeps the request. */
function answering(status: number, body: (request: string) => string) {
  const sent: string[] = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    sent.push(String(init?.body));
    return new Response(body(String(init?.body)), { status, headers: { 'Content-Type': 'application/xml+fhir; charset=utf-8' } });
  };
  return { fetch, sent };
}

/** The MessageHeader id of a request the client sent. */
const messageIdOf = (request: string) => /<MessageHeader><id value="([^"]+)"/.exec(request)?.[1] ?? '';

/** A response Bundle with a prefixed FHIR namespace, as some servers write it. */
function reply(request: string, { code = 'ok', outcome = '', flag = '' } = {}) {
  return `<f:Bundle xmlns:f="http://hl7.org/fhir"><f:type value="message"/><f:entry><f:resource><f:MessageHeader><f:id value="h"/><f:response><f:identifier value="${messageIdOf(request)}"/><f:code value="${code}"/></f:response></f:MessageHeader></f:resource></f:entry>${outcome}${flag}</f:Bundle>`;
}

const flagEntry = (nhsNumber: string) =>
  `<f:entry><f:resource><f:Flag><f:id value="f1"/><f:contained><f:Patient><f:id value="p"/><f:identifier><f:system value="http://fhir.nhs.net/Id/nhs-number"/><f:value value="${nhsNumber}"/></f:identifier></f:Patient></f:contained><f:status value="active"/><f:period><f:start value="2024-05-01"/></f:period><f:subject><f:reference value="#p"/></f:subject><f:code><f:coding><f:system value="http://fhir.nhs.net/ValueSet/risk-indicator-type-1-0"/><f:code value="FGM"/></f:coding></f:code></f:Flag></f:resource></f:entry>`;

const client = (fetch: typeof globalThis.fetch) =>
  createClient({ baseUrl: 'https://fgm.test', fromAsid: '200000000001', toAsid: '200000000000', token: 't', author, fetch });

describe('legacy messages', () => {
  it('a query hit is the flag in its R4 form', async () => {
    const { fetch, sent } = answering(200, (request) => reply(request, { flag: flagEntry('9000000009') }));
    const result = await client(fetch).legacy.query('9000000009');
    expect(result).toEqual({
      ok: true,
      value: {
        flag: {
          resourceType: 'Flag',
          id: 'f1',
          status: 'active',
          code: {
            coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }],
            text: 'Family history of FGM (female genital mutilation)',
          },
          subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' } },
          period: { start: '2024-05-01' },
        },
      },
    });
    expect(sent[0]).toContain('<code value="urn:nhs:names:services:clinicals-sync:FGMQuery_2_0"/>');
  });

  it('a query answering another child’s flag is an error, never passed on', async () => {
    const { fetch } = answering(200, (request) => reply(request, { flag: flagEntry('9000000017') }));
    expect(await client(fetch).legacy.query('9000000009')).toMatchObject({ ok: false, error: { code: 'UNEXPECTED_RESPONSE' } });
  });

  it('an acknowledgement of another message is an error', async () => {
    const { fetch } = answering(201, () => reply('<MessageHeader><id value="someone-else"/>'));
    const result = await client(fetch).legacy.create({
      nhsNumber: '9000000084',
      assessmentDate: '2024-05-01',
      birthDate: '2011-09-09',
      gpPractice: 'V81997',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNEXPECTED_RESPONSE' } });
  });

  it('the 503 of L-8 is retryable; a proxy’s plain text is UNEXPECTED_RESPONSE', async () => {
    const outcome =
      '<f:entry><f:resource><f:OperationOutcome><f:issue><f:severity value="fatal"/><f:code value="exception"/>' +
      '<f:details><f:coding><f:code value="SERVICE_UNAVAILABLE"/></f:coding></f:details><f:diagnostics value="Service unavailable"/></f:issue></f:OperationOutcome></f:resource></f:entry>';
    const down = answering(503, (request) => reply(request, { code: 'transient-error', outcome }));
    expect(await client(down.fetch).legacy.query('9000000009')).toEqual({
      ok: false,
      error: { status: 503, code: 'SERVICE_UNAVAILABLE', diagnostics: 'Service unavailable', retryable: true },
    });
    const proxy = answering(503, () => 'Your worker restarted mid-request');
    expect(await client(proxy.fetch).legacy.query('9000000009')).toMatchObject({
      ok: false,
      error: { status: 503, code: 'UNEXPECTED_RESPONSE', retryable: true },
    });
  });

  it('escapes what it writes, and reads no DOCTYPE', () => {
    expect(valueElement('name', `a"<&>'`)).toBe('<name value="a&quot;&lt;&amp;&gt;&apos;"/>');
    expect(readXml('<!DOCTYPE x [<!ENTITY e "boom">]><Bundle xmlns="http://hl7.org/fhir"/>')).toBeUndefined();
    expect(readXml('<Bundle xmlns="urn:other"/>')).toBeUndefined();
    expect(readXml('\ufeff<Bundle xmlns="http://hl7.org/fhir"/>')?.name).toBe('Bundle');
  });

  it('a create carries the contained Patient’s birth date, the GP practice and the author', async () => {
    const { fetch, sent } = answering(201, (request) => reply(request));
    await client(fetch).legacy.create({ nhsNumber: '9000000084', assessmentDate: '2024-05-01', birthDate: '2011-09-09', gpPractice: 'V81997' });
    expect(sent[0]).toContain('<birthDate value="2011-09-09"/>');
    expect(sent[0]).toContain('<value value="V81997"/>');
    expect(sent[0]).toContain('<value value="555555555666"/>');
    expect(sent[0]).toContain('<value value="A12345"/>');
  });

  it('readLegacyMessage summarises an answer: header, issue, flag', () => {
    const outcome =
      '<f:entry><f:resource><f:OperationOutcome><f:issue><f:severity value="error"/><f:code value="not-found"/>' +
      '<f:details><f:coding><f:system value="s"/><f:code value="NO_RECORD_FOUND"/><f:display value="No Record Found"/></f:coding></f:details>' +
      '<f:diagnostics value="none"/></f:issue></f:OperationOutcome></f:resource></f:entry>';
    const message = readLegacyMessage(reply('<MessageHeader><id value="m1"/>', { code: 'fatal-error', outcome, flag: flagEntry('9000000009') }));
    expect(message).toMatchObject({
      resourceTypes: ['MessageHeader', 'OperationOutcome', 'Flag'],
      header: { id: 'h', responseIdentifier: 'm1', responseCode: 'fatal-error' },
      issue: { severity: 'error', issueType: 'not-found', system: 's', code: 'NO_RECORD_FOUND', display: 'No Record Found', diagnostics: 'none' },
      flag: { id: 'f1', status: 'active', start: '2024-05-01', nhsNumber: '9000000009' },
    });
    expect(readLegacyMessage('not xml')).toBeUndefined();
    expect(readLegacyMessage('<Parameters xmlns="http://hl7.org/fhir"/>')).toBeUndefined();
  });
});
