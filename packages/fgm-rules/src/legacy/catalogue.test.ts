import { LEGACY_SPEC_ERRORS, type LegacySpecErrorKey } from '@fgm-is/spec-oracle';
import { describe, expect, it } from 'vitest';
import { catalogue, catalogueEntries } from '../catalogue/index.ts';
import { LEGACY_ERRORS, LEGACY_MAPPING, legacyOutcomeOf, responseCodeOf } from './catalogue.ts';

describe('legacy error table (L§3, L-8)', () => {
  it('has exactly the rows of the contract, in its order', () => {
    expect(Object.keys(LEGACY_ERRORS)).toEqual(Object.keys(LEGACY_SPEC_ERRORS));
  });

  it.each(Object.keys(LEGACY_SPEC_ERRORS) as LegacySpecErrorKey[])(
    '%s has the contract’s status, severity, issue type, code, display and response code',
    (key) => {
      const [status, severity, issueType, code, display, responseCode] = LEGACY_SPEC_ERRORS[key];
      const row = LEGACY_ERRORS[key];
      expect({ status: row.status, severity: row.severity, issueType: row.issueType, code: row.code, display: row.display }).toEqual({
        status,
        severity,
        issueType,
        code,
        display,
      });
      expect(responseCodeOf(row)).toBe(responseCode);
    },
  );
});

describe('[H-09] the second mapping of the R4 decisions (L-1)', () => {
  it.each([
    ['S1', 'INVALID_NHS_NUMBER'],
    ['A1', 'INVALID_NHS_NUMBER'],
    ['A4', 'PATIENT_OVER_18'],
    ['A5', 'INVALID_PARAMETER'],
    ['A6', 'FLAG_ALREADY_SET'],
    ['INVALID_ASSESSMENT_DATE', 'INVALID_PARAMETER'],
    ['R1', 'NO_RECORD_FOUND'],
    ['S3', 'ASID_CHECK_FAILED'],
    ['A9', 'ASID_CHECK_FAILED'],
    ['R5', 'ASID_CHECK_FAILED'],
    ['SERVICE_UNAVAILABLE', 'SERVICE_UNAVAILABLE'],
    ['INTERNAL_ERROR', 'INTERNAL_SERVER_ERROR'],
  ] as const)('%s → %s', (key, code) => {
    expect(legacyOutcomeOf(catalogue[key]).code).toBe(code);
  });

  it('A5 keeps the R4 wording, as L-6 requires', () => {
    expect(legacyOutcomeOf(catalogue.A5).diagnostics).toBe('Patient gender must be female, unknown or indeterminate');
  });

  it('every other R4 entry (unreachable from a legacy message) is the internal error, never a guess', () => {
    for (const entry of catalogueEntries) {
      if (!Object.hasOwn(LEGACY_MAPPING, entry.key)) expect(legacyOutcomeOf(entry).code).toBe('INTERNAL_SERVER_ERROR');
    }
  });

  it('no mapped diagnostics can hold client text or an NHS number', () => {
    for (const outcome of Object.values(LEGACY_MAPPING)) expect(outcome?.diagnostics).not.toMatch(/[0-9]{10}/);
  });
});
