/**
 * Prepares local state before `wrangler dev` serves it: applies the D1
 * migrations (the audit table) and loads the sandbox fixtures (spec §15)
 * into local KV. Idempotent. `--reset` wipes local state first.
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { kvFlagStore } from '../src/adapters/kv-flag-store/index.ts';
import { seedSandbox } from '../src/sandbox/seed.ts';

// The seeder touches only KV and D1; without this, wrangler warns about the FlagLedger
// Durable Object binding, whose class it does not load here.
process.env.WRANGLER_LOG ??= 'error';
const { getPlatformProxy, unstable_splitSqlQuery } = await import('wrangler');

const configPath = fileURLToPath(new URL('../../../wrangler.toml', import.meta.url));
const statePath = fileURLToPath(new URL('../../../.wrangler/state', import.meta.url));

if (process.argv.includes('--reset')) {
  rmSync(statePath, { recursive: true, force: true });
  console.warn('Local sandbox state removed.');
}

const migrationsPath = fileURLToPath(new URL('../migrations/', import.meta.url));

const { env, dispose } = await getPlatformProxy<Env>({ configPath, persist: { path: `${statePath}/v3` }, remoteBindings: false });
try {
  // The migrations are written to be re-runnable (IF NOT EXISTS), so applying them on every start is safe.
  for (const file of readdirSync(migrationsPath)
    .filter((name) => name.endsWith('.sql'))
    .sort()) {
    for (const statement of unstable_splitSqlQuery(readFileSync(`${migrationsPath}${file}`, 'utf8'))) await env.AUDIT_DB.prepare(statement).run();
  }
  const created = await seedSandbox({ flags: kvFlagStore(env.FLAGS), patients: env.PATIENTS });
  console.warn(`Sandbox loaded: patients written, ${created} fixture flag(s) created.`);
  console.warn('(A workerd warning about "FlagLedger" above is expected here: this step loads only KV and D1, not the Worker.)');
} finally {
  await dispose();
}
