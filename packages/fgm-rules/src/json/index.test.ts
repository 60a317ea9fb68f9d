import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../catalogue/index.ts';
import { hasDuplicateKey, parseJsonBody } from './index.ts';

describe('parseJsonBody (D-6, D-25)', () => {
  it('parses JSON into a value', () => {
    expect(parseJsonBody('{"resourceType":"Flag","a":[{"b":1},{"b":2}]}')).toEqual({
      ok: true,
      value: { resourceType: 'Flag', a: [{ b: 1 }, { b: 2 }] },
    });
  });

  it.each([
    ['unparseable text', '{"resourceType":'],
    ['an empty body', ''],
    ['a key twice at the top', '{"status":"active","status":"inactive"}'],
    ['a key twice in a nested object', '{"subject":{"identifier":{"value":"9000000009","value":"9000000017"}}}'],
    ['a key twice in an object inside an array', '{"extension":[{"url":"a"},{"url":"b","url":"c"}]}'],
    ['the same key spelt with an escape', '{"status":"active","st\\u0061tus":"inactive"}'],
    ['__proto__ twice', '{"__proto__":{},"__proto__":{"x":1}}'],
  ])('[H-08] refuses %s as Invalid request body', (_name, text) => {
    expect(parseJsonBody(text)).toEqual({ ok: false, error: catalogue.INVALID_BODY });
  });

  it.each([
    ['the same key in sibling objects', '[{"a":1},{"a":2}]'],
    ['the same key at different depths', '{"a":{"a":{"a":1}}}'],
    ['a key that appears as a string value', '{"a":"a","b":"a"}'],
    ['keys with escaped quotes', '{"a\\"":1,"a":2}'],
    ['strings holding braces and commas', '{"a":"{,\\"a\\":1}","b":"[,]"}'],
  ])('accepts %s', (_name, text) => {
    expect(parseJsonBody(text).ok).toBe(true);
  });

  it('[H-08] property: finds exactly the objects a tree of pairs says repeat a key', () => {
    /** A JSON value whose objects are lists of [key as written, value] pairs, so keys may repeat. */
    type Tree = { kind: 'leaf'; json: string } | { kind: 'array'; items: Tree[] } | { kind: 'object'; pairs: [string, Tree][] };
    const spellings = fc.constantFrom('a', 'b', '\\u0061', 'a\\"', '\\"', 'status', '{,}');
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }).map((v) => ({ kind: 'leaf' as const, json: JSON.stringify(v) })),
        fc.array(tie('tree'), { maxLength: 3 }).map((items) => ({ kind: 'array' as const, items })),
        fc.array(fc.tuple(spellings, tie('tree')), { maxLength: 4 }).map((pairs) => ({ kind: 'object' as const, pairs })),
      ),
    })).tree;
    const write = (t: Tree): string =>
      t.kind === 'leaf'
        ? t.json
        : t.kind === 'array'
          ? `[${t.items.map(write).join(',')}]`
          : `{${t.pairs.map(([k, v]) => `"${k}":${write(v)}`).join(',')}}`;
    const repeats = (t: Tree): boolean => {
      if (t.kind === 'leaf') return false;
      if (t.kind === 'array') return t.items.some(repeats);
      const keys = t.pairs.map(([k]) => JSON.parse(`"${k}"`) as string);
      return new Set(keys).size !== keys.length || t.pairs.some(([, v]) => repeats(v));
    };
    fc.assert(
      fc.property(tree, (t) => hasDuplicateKey(write(t)) === repeats(t)),
      { numRuns: 3000 },
    );
  });

  it('[H-07] scans a 64 KiB body in linear time', () => {
    const text = `{${Array.from({ length: 6000 }, (_, i) => `"k${i}":[${'{"x":1},'.repeat(0)}1]`).join(',')}}`;
    expect(text.length).toBeGreaterThan(60_000);
    expect(hasDuplicateKey(text)).toBe(false);
    expect(hasDuplicateKey(`${text.slice(0, -1)},"k5":2}`)).toBe(true);
  });
});
