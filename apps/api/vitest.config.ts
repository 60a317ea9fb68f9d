import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { quietWorkerdTeardown } from '../../tools/quiet-workerd-teardown.ts';

quietWorkerdTeardown();

/**
 * Every API test runs inside workerd with the bindings and vars of
 * wrangler.toml. Storage is isolated per test file; `test/setup.ts` applies
 * the D1 migrations once for each file.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));
  return {
    plugins: [
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
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: ['./test/setup.ts'],
      // The per-request log line (src/middleware/request-log) is the service working as meant; its own test asserts it.
      onConsoleLog: (line: string) => !line.includes('"event":"request"'),
    },
  };
});
