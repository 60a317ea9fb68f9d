/**
 * Runs before each test file, in its own isolated storage: the D1 audit
 * schema, applied once per file (migrations are idempotent).
 */
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach } from 'vitest';
import { takeCheckedCount } from './support/contract.ts';

await applyD1Migrations(env.AUDIT_DB, env.TEST_MIGRATIONS ?? []);

// How many responses each test had checked against the OpenAPI document (summed by the reporter in vitest.config.ts).
afterEach(({ task }) => {
  task.meta.contractChecks = takeCheckedCount();
});
