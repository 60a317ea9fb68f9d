import { defineConfig } from 'vitest/config';

/**
 * The kit's own unit tests (the CLI's arguments and output, JUnit). Its
 * checks are tested against the real Worker, and against deliberately
 * broken versions of it, in apps/api/test/conformance.test.ts.
 */
export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
