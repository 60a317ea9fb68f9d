/**
 * Property: no rule throws on hostile input. Arbitrary JSON (including
 * `__proto__` and `constructor` keys), and valid bodies with one element
 * replaced by arbitrary JSON, always give a result value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRemove, parseJsonBody, parseSearchQuery, validateAddBody } from './index.ts';
import { FLAG_ID, NOW, TODAY, activeRecord, validAddBody, validRemoveBody } from './test-support/fixtures.ts';

const hostileKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'resourceType',
  'id',
  'status',
  'extension',
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 3 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileKeys, fc.string()), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const isResult = (r: unknown) => typeof r === 'object' && r !== null && typeof (r as { ok: unknown }).ok === 'boolean';
const ELEMENTS = ['resourceType', 'id', 'status', 'code', 'subject', 'period', 'extension'] as const;

describe('[H-08] rules never throw on hostile input', () => {
  it('arbitrary JSON as an Add body', () => {
    fc.assert(
      fc.property(json, (body) => isResult(validateAddBody(body, TODAY))),
      { numRuns: 2000 },
    );
  });

  it('a valid Add body with one element replaced by arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ELEMENTS), json, (element, value) => {
        const body = validAddBody();
        body[element] = value;
        return isResult(validateAddBody(body, TODAY));
      }),
      { numRuns: 2000 },
    );
  });

  it('arbitrary JSON as a Remove body, and a valid one with one element replaced', () => {
    fc.assert(
      fc.property(json, fc.constantFrom(...ELEMENTS), json, fc.option(fc.string(), { nil: null }), (body, element, value, ifMatch) => {
        const valid = validRemoveBody();
        valid[element] = value;
        return (
          isResult(decideRemove({ id: FLAG_ID, body, record: activeRecord(), ifMatch, now: NOW })) &&
          isResult(decideRemove({ id: FLAG_ID, body: valid, record: activeRecord(), ifMatch, now: NOW }))
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('JSON parsed from text, including __proto__ keys, does not pollute prototypes', () => {
    const result = parseJsonBody('{"resourceType":"Flag","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect(result.ok).toBe(true);
    if (result.ok) expect(isResult(validateAddBody(result.value, TODAY))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('arbitrary text as a JSON body or a search query', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        (text) => isResult(parseJsonBody(text)) && isResult(parseSearchQuery(new URLSearchParams(text))),
      ),
      { numRuns: 2000 },
    );
  });
});
