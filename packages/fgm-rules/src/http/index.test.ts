import { describe, expect, it } from 'vitest';
import { catalogue } from '../catalogue/index.ts';
import {
  checkBodySize,
  checkFormatParameter,
  httpDate,
  ifMatchAdmits,
  isJsonContentType,
  negotiateAccept,
  parseIfMatch,
  parsePreferReturn,
  weakEtag,
} from './index.ts';

describe('checkFormatParameter (D-24)', () => {
  it.each([
    [[]],
    [['json']],
    [['JSON']],
    [['application/json']],
    [['application/fhir+json']],
    [['application/fhir+json; fhirVersion=4.0']],
    [['application/fhir+json;charset=utf-8', 'json']],
  ])('lets _format %j through', (values) => {
    expect(checkFormatParameter(values)).toEqual({ ok: true, value: undefined });
  });

  it.each([[['xml']], [['application/fhir+xml']], [['text/html']], [['']], [['json', 'xml']], [['ttl']], [['application/xml+fhir']], [['json;x']]])(
    'answers _format %j with the D-12 406',
    (values) => {
      expect(checkFormatParameter(values)).toEqual({ ok: false, error: catalogue.NOT_ACCEPTABLE });
    },
  );
});

describe('negotiateAccept (D-12)', () => {
  it.each([
    null,
    '',
    'application/fhir+json',
    'application/json',
    '*/*',
    'application/*',
    'text/html, application/fhir+json;q=0.9',
    'APPLICATION/JSON',
    'application/fhir+json; fhirVersion=4.0',
  ])('admits %s', (accept) => {
    expect(negotiateAccept(accept).ok).toBe(true);
  });
  it.each(['application/xml', 'text/html', 'application/fhir+xml', 'application/json;q=0', 'text/*', 'garbage'])('refuses %s with 406', (accept) => {
    expect(negotiateAccept(accept)).toEqual({ ok: false, error: catalogue.NOT_ACCEPTABLE });
  });
});

describe('isJsonContentType', () => {
  it('is strict about the media type and charset', () => {
    expect(isJsonContentType('application/fhir+json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/json+fhir')).toBe(false);
    expect(isJsonContentType('application/json; charset=utf-16')).toBe(false);
    expect(isJsonContentType(null)).toBe(false);
  });
});

describe('parsePreferReturn (D-1)', () => {
  it.each([
    [null, 'representation'],
    ['return=minimal', 'minimal'],
    ['return=representation', 'representation'],
    ['return=OperationOutcome', 'OperationOutcome'],
    ['respond-async, return=minimal', 'minimal'],
    ['return="minimal"', 'minimal'],
    ['RETURN=minimal', 'minimal'],
    ['return=operationoutcome', 'representation'],
    ['return=everything', 'representation'],
    ['handling=strict', 'representation'],
  ])('%s → %s', (prefer, expected) => {
    expect(parsePreferReturn(prefer)).toBe(expected);
  });
});

describe('If-Match (D-9)', () => {
  it.each([
    ['*', '7', true],
    ['W/"1"', '1', true],
    ['"1"', '1', true],
    ['W/"1"', '2', false],
    ['W/"1", W/"2"', '2', true],
  ])('%s against version %s admits: %s', (header, version, admits) => {
    const parsed = parseIfMatch(header);
    expect(parsed).toBeDefined();
    if (parsed) expect(ifMatchAdmits(parsed, version)).toBe(admits);
  });
  it.each(['1', 'W/1', 'w/"1"', '"1', '', 'W/"1" W/"2"', '**'])('%s is malformed', (header) => {
    expect(parseIfMatch(header)).toBeUndefined();
  });
});

describe('formats', () => {
  it('weak ETag and HTTP date', () => {
    expect(weakEtag('3')).toBe('W/"3"');
    expect(httpDate('2026-11-21T10:00:00.000Z')).toBe('Sat, 21 Nov 2026 10:00:00 GMT');
  });
  it('body size limit is 64 KiB inclusive', () => {
    expect(checkBodySize(65536).ok).toBe(true);
    expect(checkBodySize(65537)).toEqual({ ok: false, error: catalogue.BODY_TOO_LARGE });
  });
});
