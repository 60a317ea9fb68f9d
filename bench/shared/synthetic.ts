import { nhsNumberCheckDigit } from '@fgm-is/rules';

/** The i-th valid NHS number of a synthetic range (leading 8, so never a sandbox patient). */
export function syntheticNhsNumber(i: number): string {
  for (let n = i; ; n += 10_000_000) {
    const nine = `8${String(n % 100_000_000).padStart(8, '0')}`;
    const check = nhsNumberCheckDigit(nine);
    if (check !== undefined) return `${nine}${check}`;
  }
}
