import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

/**
 * Every API test runs inside workerd with the bindings and vars of
 * wrangler.toml; the D1 migrations are handed in so tests can apply them
 * after each storage reset.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));
  return {
    plugins: [cloudflareTest({ wrangler: { configPath: '../../wrangler.toml' }, miniflare: { bindings: { TEST_MIGRATIONS: migrations } } })],
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    },
  };
});
