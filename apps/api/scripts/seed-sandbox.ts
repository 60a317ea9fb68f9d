/**
 * Prepares local state before `wrangler dev` serves it: applies the D1
 * migrations not yet applied (the audit table) and loads the sandbox fixtures (spec §15)
 * into local KV. Idempotent. `--reset` wipes local state first.
 * `--persist-to <dir>` seeds the state directory `wrangler dev --persist-to
 * <dir>` serves (relative to the working directory) instead of
 * `apps/api/.wrangler/state` (wrangler's own default beside this Worker's
 * wrangler.toml, and what `npm start` serves). Nothing is written outside
 * the repository.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { seedSandbox } from '../src/sandbox/seed.ts';
import { kvFlagStore } from '../src/storage/kv-flag-store.ts';
import { DEFAULT_STATE, localStorage, persistToOption } from './local-storage.ts';

const { unstable_splitSqlQuery } = await import('wrangler');

const statePath = persistToOption(process.argv.slice(2)) ?? DEFAULT_STATE;

if (process.argv.includes('--reset')) {
  rmSync(statePath, { recursive: true, force: true });
  console.warn('Local sandbox state removed.');
}

const migrationsPath = fileURLToPath(new URL('../migrations/', import.meta.url));

const { env, dispose } = await localStorage(['kv', 'd1'], statePath);
try {
  // Each migration once, recorded in the table `wrangler d1 migrations apply` keeps, so either can run next.
  await env.AUDIT_DB.prepare(
    'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)',
  ).run();
  const { results } = await env.AUDIT_DB.prepare('SELECT name FROM d1_migrations').all<{ name: string }>();
  const applied = new Set(results.map((row) => row.name));
  for (const file of readdirSync(migrationsPath)
    .filter((name) => name.endsWith('.sql') && !applied.has(name))
    .sort()) {
    const statements = unstable_splitSqlQuery(readFileSync(`${migrationsPath}${file}`, 'utf8')).map((sql) => env.AUDIT_DB.prepare(sql));
    await env.AUDIT_DB.batch([...statements, env.AUDIT_DB.prepare('INSERT INTO d1_migrations (name) VALUES (?1)').bind(file)]);
  }
  const created = await seedSandbox({ flags: kvFlagStore(env.FLAGS), patients: env.PATIENTS });
  console.warn(`Sandbox loaded: patients written, ${created} fixture flag(s) created.`);
} finally {
  await dispose();
}
