import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../catalogue/index.ts';
import { SearchBundleSchema } from '../fhir/index.ts';
import { activeRecord } from '../test-support/fixtures.ts';
import { buildSearchBundle, parseSearchQuery, searchMatch } from './index.ts';

const q = (query: string) => parseSearchQuery(new URLSearchParams(query));

describe('parseSearchQuery (D-10)', () => {
  it.each([
    'patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009',
    'patient:identifier=https://fhir.nhs.uk/Id/nhs-number%7C9000000009',
    'patient:identifier=https://fhir.nhs.uk/Id/nhs-number%7c9000000009',
    'patient%3Aidentifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9000000009',
    'patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009&_format=json&unknown=1',
  ])('[H-01] %s finds 9000000009', (query) => {
    expect(q(query)).toEqual({ ok: true, value: { nhsNumber: '9000000009' } });
  });

  it.each([
    ['', 'missing'],
    ['patient=9000000009', 'another parameter'],
    ['patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009&patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009', 'repeated'],
    ['patient:identifier=9000000009', 'no system'],
    ['patient:identifier=|9000000009', 'empty system'],
    ['patient:identifier=http://fhir.nhs.uk/Id/nhs-number|9000000009', 'wrong system'],
    ['patient:identifier=https://fhir.nhs.uk/Id/nhs-number|1234567890', 'bad check digit'],
    ['patient:identifier=https://fhir.nhs.uk/Id/nhs-number|', 'no value'],
    ['patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009|x', 'two bars'],
    ['patient:identifier=https://fhir.nhs.uk/Id/nhs-number|900+000+0009', 'spaces'],
  ])('[H-01] [H-08] %s is S1 (%s)', (query) => {
    expect(q(query)).toEqual({ ok: false, error: catalogue.S1 });
  });
});

describe('searchMatch (D-10, D-13)', () => {
  it('[H-01] [H-03] returns an active flag before the 18th birthday', () => {
    expect(searchMatch(activeRecord(), '2033-05-31')?.id).toBe(activeRecord().flag.id);
  });
  it('[H-03] hides it from the 18th birthday on', () => {
    expect(searchMatch(activeRecord(), '2033-06-01')).toBeUndefined();
  });
  it('[H-02] hides removed flags and absent records', () => {
    expect(searchMatch(activeRecord({ status: 'entered-in-error' }), '2026-01-01')).toBeUndefined();
    expect(searchMatch(null, '2026-01-01')).toBeUndefined();
  });
});

describe('buildSearchBundle', () => {
  const base = { id: 'b-1', lastUpdated: '2026-11-21T10:00:00.000Z', baseUrl: 'https://fgm.example', nhsNumber: '9000000009' };

  it('total 1 with one match entry', () => {
    const flag = activeRecord().flag;
    const bundle = buildSearchBundle({ ...base, match: flag });
    expect(bundle).toEqual({
      resourceType: 'Bundle',
      id: 'b-1',
      meta: { lastUpdated: '2026-11-21T10:00:00.000Z' },
      type: 'searchset',
      total: 1,
      link: [{ relation: 'self', url: 'https://fgm.example/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009' }],
      entry: [{ fullUrl: `https://fgm.example/Flag/${flag.id}`, resource: flag, search: { mode: 'match' } }],
    });
    expect(v.is(SearchBundleSchema, bundle)).toBe(true);
  });

  it('total 0 with no entry element', () => {
    const bundle = buildSearchBundle({ ...base, match: undefined });
    expect(bundle.total).toBe(0);
    expect('entry' in bundle).toBe(false);
    expect(v.is(SearchBundleSchema, bundle)).toBe(true);
  });
});
