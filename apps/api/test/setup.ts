/**
 * Runs before each test file, in its own isolated storage: the D1 audit
 * schema, applied once per file (migrations are idempotent).
 */
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

await applyD1Migrations(env.AUDIT_DB, env.TEST_MIGRATIONS ?? []);
