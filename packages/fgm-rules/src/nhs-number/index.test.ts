import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { NhsNumberSchema, isValidNhsNumber, nhsNumberCheckDigit } from './index.ts';

/** Arbitrary valid NHS number: nine digits whose check digit exists, plus that digit. */
const validNhsNumber = fc
  .stringMatching(/^[0-9]{9}$/)
  .filter((nine) => nhsNumberCheckDigit(nine) !== undefined)
  .map((nine) => `${nine}${nhsNumberCheckDigit(nine)}`);

describe('NHS number (spec §9)', () => {
  it.each(['9000000009', '9449306753', '9912003888', '5900026175', '9000000017', '0000000000', '9999999999'])('%s is valid', (n) => {
    expect(isValidNhsNumber(n)).toBe(true);
    expect(v.is(NhsNumberSchema, n)).toBe(true);
  });

  it.each([
    ['1234567890', 'check digit 10 (no valid tenth digit)'],
    ['9787576543', 'wrong check digit'],
    ['900000000', 'nine digits'],
    ['90000000091', 'eleven digits'],
    ['900 000 0009', 'spaces'],
    ['900-000-0009', 'hyphens'],
    ['９０００００００09', 'full-width digits'],
    [' 9000000009', 'leading space'],
    ['9000000009\n', 'trailing newline'],
    ['', 'empty'],
  ])('[H-01] [H-08] %s is invalid (%s)', (n) => {
    expect(isValidNhsNumber(n)).toBe(false);
  });

  it('rejects non-strings', () => {
    for (const value of [9000000009, null, undefined, {}, ['9000000009']]) expect(isValidNhsNumber(value)).toBe(false);
  });

  it('the check digit is undefined when the remainder gives 10', () => {
    expect(nhsNumberCheckDigit('123456789')).toBeUndefined();
    expect(nhsNumberCheckDigit('900000000')).toBe(9);
    expect(nhsNumberCheckDigit('12345678')).toBeUndefined();
  });

  it('property: every generated valid number passes', () => {
    fc.assert(
      fc.property(validNhsNumber, (n) => isValidNhsNumber(n)),
      { numRuns: 2000 },
    );
  });

  it('[H-02] property: every single-digit change of a valid number fails', () => {
    fc.assert(
      fc.property(validNhsNumber, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (n, position, delta) => {
        const digit = (Number(n[position]) + delta) % 10;
        const changed = n.slice(0, position) + digit + n.slice(position + 1);
        return !isValidNhsNumber(changed);
      }),
      { numRuns: 2000 },
    );
  });

  it('[H-02] property: every adjacent transposition of two different digits fails', () => {
    fc.assert(
      fc.property(validNhsNumber, fc.integer({ min: 0, max: 8 }), (n, i) => {
        fc.pre(n[i] !== n[i + 1]);
        const swapped = n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2);
        return !isValidNhsNumber(swapped);
      }),
      { numRuns: 2000 },
    );
  });

  it('[H-08] property: never throws and only accepts ten ASCII digits', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const valid = isValidNhsNumber(value);
        return !valid || (typeof value === 'string' && /^[0-9]{10}$/.test(value));
      }),
    );
  });
});
