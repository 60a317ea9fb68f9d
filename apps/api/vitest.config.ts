import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { type Plugin, defineConfig } from 'vitest/config';
import type { Reporter } from 'vitest/reporters';
import { quietWorkerdTeardown } from '../../tools/quiet-workerd-teardown.ts';
import { buildDocs } from './scripts/build-docs.ts';

quietWorkerdTeardown();

/**
 * Sums what `test/setup.ts` recorded per test: how many responses were
 * checked against the OpenAPI document (`test/support/contract.ts`).
 */
const contractCount: Reporter = {
  onTestRunEnd(testModules) {
    let responses = 0;
    let tests = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const count = (test.meta() as { contractChecks?: number }).contractChecks ?? 0;
        responses += count;
        if (count > 0) tests++;
      }
    }
    if (responses > 0) console.info(`contract: ${responses} responses from ${tests} tests checked against the OpenAPI document`);
  },
};

/** Adds {@link contractCount} to whatever reporters the command line chose (which replace the configured ones). */
const contractCountPlugin: Plugin = {
  name: 'contract-count',
  configureVitest({ vitest }) {
    if (!vitest.config.reporters.includes(contractCount)) vitest.config.reporters.push(contractCount);
  },
};

/**
 * Two projects. `workers`: every API test runs inside workerd with the
 * bindings and vars of wrangler.toml; storage is isolated per test file;
 * `test/setup.ts` applies the D1 migrations once for each file. `node`:
 * what needs Node (`test-node/`: the OpenAPI document against an
 * independent validator, the generated error catalogue). What the docs
 * routes serve is built first (`scripts/build-docs.ts`), so no test meets a
 * stale or missing build.
 */
export default defineConfig(async () => {
  await buildDocs();
  const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));
  return {
    test: {
      // The per-request log line (src/pipeline/request-log.ts) is the service working as meant; its own test asserts it.
      onConsoleLog: (line: string) => !line.includes('"event":"request"'),
      projects: [
        {
          plugins: [
            contractCountPlugin,
            cloudflareTest({ wrangler: { configPath: '../../wrangler.toml' }, miniflare: { bindings: { TEST_MIGRATIONS: migrations } } }),
            {
              // saxes 6.0.0 ships a source map naming sources it does not ship, and Vite warned about it on every run.
              name: 'saxes-without-its-source-map',
              enforce: 'pre' as const,
              async load(id: string) {
                if (!id.endsWith('/node_modules/saxes/saxes.js')) return null;
                return (await readFile(id, 'utf8')).replace(/^\/\/# sourceMappingURL=.*$/m, '');
              },
            },
          ],
          test: { name: 'workers', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], setupFiles: ['./test/setup.ts'] },
        },
        { test: { name: 'node', include: ['test-node/**/*.test.ts'], environment: 'node' } },
      ],
    },
  };
});
