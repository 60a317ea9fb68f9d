/// <reference types="vite/client" />
/**
 * The package's promises, checked against its own sources: pure (no I/O,
 * clock, randomness or Node built-ins in the rules) and valibot its only
 * runtime dependency. Runs in Node and in workerd alike.
 */
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };

const sources = import.meta.glob(['./**/*.ts', '!./**/*.test.ts', '!./test-support/**'], { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

/** Comments are documentation (they may name what is forbidden); only code counts. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

const FORBIDDEN: [string, RegExp][] = [
  ['a Node built-in', /from ['"]node:|require\(/],
  ['the clock', /Date\.now\(|new Date\(\)|performance\.now\(/],
  ['randomness', /Math\.random\(|crypto\./],
  ['I/O', /\bfetch\(|XMLHttpRequest|WebSocket|caches\./],
  ['a module-level side effect on globals', /globalThis\.|window\./],
];

describe('package purity', () => {
  it('reads the sources it checks', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    expect(Object.keys(sources)).toContain('./index.ts');
  });

  for (const [what, pattern] of FORBIDDEN) {
    it(`no source uses ${what}`, () => {
      const offenders = Object.entries(sources)
        .filter(([, text]) => pattern.test(code(text)))
        .map(([path]) => path);
      expect(offenders).toEqual([]);
    });
  }

  it('has exactly one runtime dependency: valibot', () => {
    expect(Object.keys(packageJson.dependencies)).toEqual(['valibot']);
    expect(packageJson.sideEffects).toBe(false);
  });
});
