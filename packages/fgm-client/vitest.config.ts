import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { quietWorkerdTeardown } from '../../tools/quiet-workerd-teardown.ts';

quietWorkerdTeardown();

/**
 * The client runs in Node, browsers and Workers: its suite runs in Node and
 * in workerd (no `nodejs_compat`, so a Node built-in fails it). Its calls
 * against the real Worker are tested in the API's suite.
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
