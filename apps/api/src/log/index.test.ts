import { describe, expect, it } from 'vitest';
import { describeError, scrub } from './index.ts';

describe('[H-04] scrub', () => {
  it.each([
    ['KV GET failed: active:9000000009', 'KV GET failed: active:[nhs-number]'],
    ['patient 900 000 0009 and 900-000-0009', 'patient [nhs-number] and [nhs-number]'],
    ['Authorization: Bearer abc.def.ghi', 'Authorization: Bearer [token]'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig in message', 'token [token] in message'],
    [`secret ${'A'.repeat(50)}`, 'secret [redacted]'],
    ['ASID 200000000001 is kept', 'ASID 200000000001 is kept'],
  ])('%s', (text, expected) => {
    expect(scrub(text)).toBe(expected);
  });

  it('cuts long messages', () => {
    expect(scrub('x '.repeat(500))).toHaveLength(200);
  });
});

describe('[H-04] describeError', () => {
  it('gives the class, the scrubbed message and the frame that threw', () => {
    function failingLookup(): never {
      throw new TypeError('cannot read flag:9000000009');
    }
    let error: unknown;
    try {
      failingLookup();
    } catch (caught) {
      error = caught;
    }
    const fields = describeError(error);
    expect(fields).toMatchObject({ error: 'TypeError', message: 'cannot read flag:[nhs-number]' });
    expect(String(fields.where)).toContain('failingLookup');
  });

  it("adds a library error's code, which outlives minified class names, and nothing that is not a code", () => {
    const timeout = Object.assign(new Error('timed out'), { name: 'e', code: 'ERR_JWKS_TIMEOUT' });
    expect(describeError(timeout)).toMatchObject({ error: 'e', code: 'ERR_JWKS_TIMEOUT', message: 'timed out' });
    expect(describeError(Object.assign(new Error('x'), { code: 'patient 9000000009' }))).not.toHaveProperty('code');
    expect(describeError(Object.assign(new Error('x'), { code: 42 }))).not.toHaveProperty('code');
    expect(describeError(new TypeError('x'))).not.toHaveProperty('code');
  });

  it('names what a non-Error was', () => {
    expect(describeError('boom')).toEqual({ error: 'string' });
    expect(describeError(null)).toEqual({ error: 'null' });
  });
});
