import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { type Plugin, defineConfig } from 'vitest/config';
import type { Reporter } from 'vitest/reporters';
import { buildDocsFirst } from '../../tools/build-docs-first.ts';
import { quietWorkerdTeardown } from '../../tools/quiet-workerd-teardown.ts';

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

/** The docs Worker as its build emits it (`apps/docs/dist/worker.js`, one ES module): the auxiliary Worker behind the DOCS binding. */
const DOCS_DIST = fileURLToPath(new URL('../docs/dist/', import.meta.url));

/**
 * Every API test runs inside workerd with the bindings and vars of
 * wrangler.toml; storage is isolated per test file; `test/setup.ts` applies
 * the D1 migrations once for each file. The DOCS binding reaches the docs
 * Worker (apps/docs) as an auxiliary Worker, so `/openapi.json` (against
 * which `test/support/contract.ts` checks every response), the page and the
 * token route answer through this Worker as in the sandbox. It is built
 * first (`tools/build-docs-first.ts`; under `npm test`, turbo's `dependsOn`),
 * so no test meets a stale or missing build. The API itself never imports
 * the docs workspace (which depends on it).
 */
export default defineConfig(async () => {
  buildDocsFirst();
  const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));
  // What the Worker's code must agree with in its Wrangler configuration (test/wrangler-config.test.ts).
  process.env.WRANGLER_LOG ??= 'error';
  const { unstable_readConfig } = await import('wrangler');
  const wranglerFacts = (environment?: string) => {
    const config = unstable_readConfig({
      config: fileURLToPath(new URL('./wrangler.toml', import.meta.url)),
      ...(environment ? { env: environment } : {}),
    });
    return {
      crons: config.triggers.crons ?? [],
      consumers: (config.queues.consumers ?? []).map((c: { queue: string; max_retries?: number; dead_letter_queue?: string }) => ({
        queue: c.queue,
        maxRetries: c.max_retries ?? null,
        deadLetterQueue: c.dead_letter_queue ?? null,
      })),
    };
  };
  const wrangler = { sandbox: wranglerFacts(), integration: wranglerFacts('integration'), production: wranglerFacts('production') };
  // The docs Worker's own compatibility date, from its wrangler.toml.
  const compatibilityDate = /^compatibility_date\s*=\s*"([0-9-]+)"/m.exec(
    await readFile(new URL('../docs/wrangler.toml', import.meta.url), 'utf8'),
  )?.[1];
  return {
    test: {
      // The per-request log line (src/pipeline/request-log.ts) is the service working as meant; its own test asserts it.
      onConsoleLog: (line: string) => !line.includes('"event":"request"'),
      projects: [
        {
          plugins: [
            contractCountPlugin,
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: { TEST_MIGRATIONS: migrations, TEST_WRANGLER: wrangler },
                workers: [{ name: 'fgm-is-docs', modules: true, modulesRoot: DOCS_DIST, scriptPath: `${DOCS_DIST}worker.js`, compatibilityDate }],
              },
            }),
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
      ],
    },
  };
});
