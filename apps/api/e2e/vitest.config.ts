/**
 * End-to-end tests: plain Node vitest (not the Workers pool) against the real
 * local server, `wrangler dev` of the API and the docs Worker as `npm start`
 * runs it, started once per test file by `e2e/support/server.ts`. Files run one at a time: each starts its own
 * server, and two at once would compete for the two CPU cores.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { buildDocsFirst } from '../../../tools/build-docs-first.ts';

export default defineConfig(() => {
  // The docs Worker the server runs beside the API, built as `npm start` builds it before `wrangler dev`.
  buildDocsFirst();
  return {
    test: {
      // Relative to apps/api, where `npm run test:e2e` runs.
      root: fileURLToPath(new URL('..', import.meta.url)),
      include: ['e2e/**/*.test.ts'],
      environment: 'node',
      pool: 'forks',
      fileParallelism: false,
      // Startup (seeding plus wrangler dev) happens in beforeAll, with its own 90 s limit; each request has its own limit.
      testTimeout: 30_000,
      hookTimeout: 90_000,
    },
  };
});
