/**
 * Writes `docs/contract/error-catalogue.md` from the error catalogues in
 * `@fgm-is/rules` (`npm run docs:catalogue`); `--check` only says whether
 * the file is up to date (exit 1 when not), as CI does through the tests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderErrorCatalogue } from './error-catalogue-markdown.ts';

const path = fileURLToPath(new URL('../../../docs/contract/error-catalogue.md', import.meta.url));
const expected = renderErrorCatalogue();
let current = '';
try {
  current = readFileSync(path, 'utf8');
} catch {
  // Not written yet.
}

if (process.argv.includes('--check')) {
  if (current !== expected) {
    console.error('docs/contract/error-catalogue.md is out of date: run npm run docs:catalogue');
    process.exit(1);
  }
  console.info('docs/contract/error-catalogue.md is up to date');
} else if (current === expected) {
  console.info('docs/contract/error-catalogue.md is up to date');
} else {
  writeFileSync(path, expected);
  console.info(`wrote ${path}`);
}
