/**
 * Every validator that runs a regular expression over client input, fed long
 * adversarial strings. A regex with catastrophic backtracking would hang
 * here (the test would time out); linear ones finish at once.
 */
import { describe, expect, it } from 'vitest';
import { isFhirId } from './flag/index.ts';
import {
  checkHeadParameters,
  isCalendarDate,
  isJsonContentType,
  isValidNhsNumber,
  messageTraceId,
  negotiateAccept,
  parseIfMatch,
  parsePreferReturn,
  parseSearchQuery,
  readDateTime,
} from './index.ts';
import { headers } from './test-support/fixtures.ts';

const N = 50_000;
const ADVERSARIAL = [
  'a'.repeat(N),
  `${'a'.repeat(N)}!`,
  `${'9'.repeat(N)}x`,
  `${'a.'.repeat(N / 2)}`,
  `${'W/"'.repeat(N / 3)}`,
  `${'"'.repeat(N)}`,
  `${'1-'.repeat(N / 2)}`,
  `${'; a=b'.repeat(N / 5)}`,
  `${', '.repeat(N / 2)}x`,
  `Bearer ${'a'.repeat(N)}.${'b'.repeat(N)}.`,
];

describe('[H-07] regular expressions are linear', () => {
  it.each(ADVERSARIAL.map((s, i) => [i, s] as const))('adversarial input #%i', (_i, input) => {
    expect(isValidNhsNumber(input)).toBe(false);
    expect(isCalendarDate(input)).toBe(false);
    expect(isFhirId(input)).toBe(false);
    expect(readDateTime(input)).toBeUndefined();
    expect(readDateTime(`2024-05-01T10:00:00.${input}`)).toBeUndefined();
    expect(messageTraceId(input)).toBeUndefined();
    isJsonContentType(input);
    negotiateAccept(input);
    parseIfMatch(input);
    parsePreferReturn(input);
    parseSearchQuery(new URLSearchParams({ 'patient:identifier': input }));
    for (const name of ['TraceID', 'FromASID', 'ToASID', 'Authorization', 'Content-Type']) {
      checkHeadParameters(
        headers({ TraceID: 't', FromASID: '200000000001', ToASID: '200000000000', Authorization: 'Bearer a.b.c', [name]: input }),
        'add',
      );
    }
  });
});
