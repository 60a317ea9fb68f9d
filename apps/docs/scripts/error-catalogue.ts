/**
 * Writes `docs/contract/error-catalogue.md` from the error catalogues in
 * `@fgm-is/rules` (`npm run docs:catalogue`); `--check` only says whether
 * the file is up to date (exit 1 when not), as CI does through the tests.
 */
import { fileURLToPath } from 'node:url';
import { renderErrorCatalogue } from './error-catalogue-markdown.ts';
import { writeOrCheckGenerated } from './generated-file.ts';

const path = fileURLToPath(new URL('../../../docs/contract/error-catalogue.md', import.meta.url));
writeOrCheckGenerated(path, 'docs/contract/error-catalogue.md', 'npm run docs:catalogue', renderErrorCatalogue());
