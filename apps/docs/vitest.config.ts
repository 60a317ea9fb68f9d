import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { buildDocsFirst } from '../../tools/build-docs-first.ts';
import { quietWorkerdTeardown } from '../../tools/quiet-workerd-teardown.ts';

quietWorkerdTeardown();

/**
 * Two projects. `workers`: the docs Worker itself inside workerd, as
 * wrangler.toml configures it (`test/`: what it serves with and without the
 * API's context). `node`: what needs Node (`test-node/`: the OpenAPI
 * document against an independent validator, the generated error
 * catalogue). What the Worker serves is built first (`scripts/build.ts`,
 * through turbo's cache: `tools/build-docs-first.ts`), so no test meets a
 * stale or missing build. The docs routes as the API serves
 * them, through its DOCS binding, are tested with the API
 * (apps/api/test/docs.test.ts), every response checked against the document.
 */
export default defineConfig(() => {
  buildDocsFirst();
  return {
    test: {
      projects: [
        {
          plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
          test: { name: 'workers', include: ['test/**/*.test.ts'] },
        },
        { test: { name: 'node', include: ['test-node/**/*.test.ts'], environment: 'node' } },
      ],
    },
  };
});
