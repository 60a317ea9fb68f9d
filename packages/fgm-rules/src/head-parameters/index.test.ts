import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../catalogue/index.ts';
import type { Interaction } from '../interaction/index.ts';
import { headers } from '../test-support/fixtures.ts';
import { checkHeadParameters } from './index.ts';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';
const good = { TraceID: '5f2c3a0e-1b7d-4a55-9f0e-2b3c4d5e6f70', FromASID: '200000000001', ToASID: '200000000000', Authorization: `Bearer ${TOKEN}` };
const ERROR: Record<Interaction, unknown> = { search: catalogue.S2, read: catalogue.S2, add: catalogue.A8, remove: catalogue.R4 };

describe('checkHeadParameters (D-3)', () => {
  it('parses good headers for search and read', () => {
    for (const interaction of ['search', 'read'] as const) {
      expect(checkHeadParameters(headers(good), interaction)).toEqual({
        ok: true,
        value: { traceId: good.TraceID, fromAsid: good.FromASID, toAsid: good.ToASID, bearerToken: TOKEN },
      });
    }
  });

  it.each([
    'application/fhir+json',
    'application/json',
    'Application/FHIR+JSON',
    'application/fhir+json; charset=utf-8',
    'application/fhir+json;charset=UTF-8',
    'application/fhir+json; fhirVersion=4.0',
    'application/json; charset="utf-8"; fhirVersion=4.0',
  ])('accepts Content-Type %s on add and remove', (contentType) => {
    for (const interaction of ['add', 'remove'] as const) {
      expect(checkHeadParameters(headers({ ...good, 'Content-Type': contentType }), interaction).ok).toBe(true);
    }
  });

  const bad: [string, Record<string, string | undefined>][] = [
    ['missing TraceID', { TraceID: undefined }],
    ['empty TraceID', { TraceID: '' }],
    ['TraceID of 129 characters', { TraceID: 'x'.repeat(129) }],
    ['TraceID with a space', { TraceID: 'a b' }],
    ['TraceID with non-ASCII', { TraceID: 'trace-é' }],
    ['missing FromASID', { FromASID: undefined }],
    ['FromASID of 11 digits', { FromASID: '20000000001' }],
    ['FromASID with letters', { FromASID: '20000000000a' }],
    ['missing ToASID', { ToASID: undefined }],
    ['ToASID of 13 digits', { ToASID: '2000000000000' }],
    ['missing Authorization', { Authorization: undefined }],
    ['Basic scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['two spaces', { Authorization: `Bearer  ${TOKEN}` }],
    ['two segments', { Authorization: 'Bearer aaa.bbb' }],
    ['four segments', { Authorization: 'Bearer a.b.c.d' }],
    ['an empty payload segment', { Authorization: 'Bearer eyJhbGciOiJub25lIn0..c2ln' }],
    ['no space after the scheme', { Authorization: `Bearer${TOKEN}` }],
    ['a tab after the scheme', { Authorization: `Bearer\t${TOKEN}` }],
    ['non-base64url characters', { Authorization: 'Bearer a+b.c/d.e=f' }],
    ['an oversized token', { Authorization: `Bearer ${'a'.repeat(20000)}.b.c` }],
  ];
  it.each(bad)('[H-04] rejects %s with the interaction row', (_name, change) => {
    for (const interaction of ['search', 'read', 'add', 'remove'] as const) {
      const result = checkHeadParameters(headers({ ...good, 'Content-Type': 'application/fhir+json', ...change }), interaction);
      expect(result).toEqual({ ok: false, error: ERROR[interaction] });
    }
  });

  it.each(['Bearer', 'bearer', 'BEARER', 'BeArEr'])('matches the scheme %s case-insensitively (D-16)', (scheme) => {
    expect(checkHeadParameters(headers({ ...good, Authorization: `${scheme} ${TOKEN}` }), 'search')).toEqual({
      ok: true,
      value: { traceId: good.TraceID, fromAsid: good.FromASID, toAsid: good.ToASID, bearerToken: TOKEN },
    });
  });

  it('passes an unsecured JWS (alg none, empty signature) on as well shaped, to be refused when verified (D-16)', () => {
    const unsecured = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.';
    expect(checkHeadParameters(headers({ ...good, Authorization: `Bearer ${unsecured}` }), 'search')).toMatchObject({
      ok: true,
      value: { bearerToken: unsecured },
    });
  });

  it.each([undefined, 'text/plain', 'application/xml', 'application/fhir+xml', 'application/json; charset=latin1', 'application/json;', 'json', ''])(
    'rejects Content-Type %s on add and remove only',
    (contentType) => {
      const h = headers({ ...good, 'Content-Type': contentType });
      expect(checkHeadParameters(h, 'add')).toEqual({ ok: false, error: catalogue.A8 });
      expect(checkHeadParameters(h, 'remove')).toEqual({ ok: false, error: catalogue.R4 });
      expect(checkHeadParameters(h, 'search').ok).toBe(true);
    },
  );

  it('[H-08] property: arbitrary header values never throw and never pass unless well-formed', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.constantFrom('TraceID', 'FromASID', 'ToASID', 'Authorization', 'Content-Type'),
        (value, name) => {
          const result = checkHeadParameters(headers({ ...good, 'Content-Type': 'application/json', [name]: value }), 'add');
          if (result.ok && name === 'FromASID') expect(value).toMatch(/^[0-9]{12}$/);
          return true;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('[H-07] is linear on long adversarial Authorization values (no catastrophic backtracking)', () => {
    const adversarial = `Bearer ${'a.'.repeat(8000)}`;
    expect(checkHeadParameters(headers({ ...good, Authorization: adversarial }), 'search').ok).toBe(false);
  });
});
