/**
 * `docs/contract/error-catalogue.md` is generated from the rules'
 * catalogues (`npm run docs:catalogue`); it must be up to date.
 */
import { readFileSync } from 'node:fs';
import { catalogueEntries } from '@fgm-is/rules';
import { expect, it } from 'vitest';
import { renderErrorCatalogue } from '../scripts/error-catalogue-markdown.ts';

const path = new URL('../../../docs/contract/error-catalogue.md', import.meta.url);

it('docs/contract/error-catalogue.md is what npm run docs:catalogue writes from the catalogue', () => {
  expect(readFileSync(path, 'utf8'), 'out of date: run npm run docs:catalogue').toBe(renderErrorCatalogue());
});

it('lists every catalogue row with its exact diagnostics', () => {
  const text = readFileSync(path, 'utf8');
  for (const entry of catalogueEntries) expect(text).toContain(`| ${entry.key} | ${entry.source} | ${entry.status} |`);
  for (const entry of catalogueEntries) expect(text).toContain(entry.diagnostics.replaceAll('|', '\\|'));
});
