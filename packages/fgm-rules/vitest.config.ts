import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { quietWorkerdTeardown } from '../../tools/quiet-workerd-teardown.ts';

quietWorkerdTeardown();

/**
 * The rules run unchanged in Node and in workerd: the same suite runs in both.
 * The workerd project has no `nodejs_compat`, so a Node built-in would fail it.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'node', include: ['src/**/*.test.ts'] } },
      {
        plugins: [cloudflareTest({ miniflare: { compatibilityDate: '2026-05-01' } })],
        test: { name: 'workerd', include: ['src/**/*.test.ts'] },
      },
    ],
  },
});
