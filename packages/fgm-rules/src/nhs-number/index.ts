/**
 * NHS number validation: exactly ten ASCII digits whose tenth is the
 * Modulus 11 check digit of the first nine (NHS Data Dictionary, spec §9).
 * Arithmetic only: whether the number belongs to a patient is the patient
 * directory's question.
 */
import * as v from 'valibot';

const TEN_DIGITS = /^[0-9]{10}$/;

/**
 * The Modulus 11 check digit for nine leading digits, or `undefined` when
 * no tenth digit can make them valid (the check would be 10).
 *
 * @param nineDigits A string of exactly nine ASCII digits.
 */
export function nhsNumberCheckDigit(nineDigits: string): number | undefined {
  if (!/^[0-9]{9}$/.test(nineDigits)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (nineDigits.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

/** Whether a value is a valid NHS number (a string of ten digits with a correct check digit). */
export function isValidNhsNumber(value: unknown): value is string {
  return typeof value === 'string' && TEN_DIGITS.test(value) && nhsNumberCheckDigit(value.slice(0, 9)) === value.charCodeAt(9) - 48;
}

/** valibot schema of a valid NHS number. */
export const NhsNumberSchema = v.pipe(
  v.string(),
  v.check((value: string) => isValidNhsNumber(value), 'Invalid NHS number'),
);
