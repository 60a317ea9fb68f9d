/**
 * Prepares local state before `wrangler dev` serves it: applies the D1
 * migrations not yet applied (the audit table) and loads the sandbox fixtures (spec §15)
 * into local KV. Idempotent. `--reset` wipes local state first.
 * `--persist-to <dir>` seeds the state directory `wrangler dev --persist-to
 * <dir>` serves (relative to the working directory) instead of the
 * repository's `.wrangler/state`.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { kvFlagStore } from '../src/storage/kv-flag-store.ts';
import { seedSandbox } from '../src/sandbox/seed.ts';

process.env.WRANGLER_LOG ??= 'error';
// Offline: no Request.cf download from workers.cloudflare.com (a placeholder object is used), no update check.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_HIDE_BANNER ??= 'true';
const { getPlatformProxy, unstable_readConfig, unstable_splitSqlQuery } = await import('wrangler');

/**
 * The seeder touches only KV and D1, so it runs the platform proxy on a
 * configuration of just those bindings (the same ids, so the same stored
 * data): with the Worker's Durable Object bindings but not its classes,
 * workerd warns that the classes are missing.
 */
function storageOnlyConfig(): { path: string; cleanUp: () => void } {
  const full = unstable_readConfig({ config: fileURLToPath(new URL('../../../wrangler.toml', import.meta.url)) });
  const dir = mkdtempSync(join(tmpdir(), 'fgm-seed-'));
  const path = join(dir, 'wrangler.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: full.name,
      compatibility_date: full.compatibility_date,
      kv_namespaces: full.kv_namespaces.map(({ binding, id }: { binding: string; id?: string }) => ({ binding, id })),
      d1_databases: full.d1_databases.map(
        ({ binding, database_name, database_id }: { binding: string; database_name?: string; database_id?: string }) => ({
          binding,
          database_name,
          database_id,
        }),
      ),
    }),
  );
  return { path, cleanUp: () => rmSync(dir, { recursive: true, force: true }) };
}

const statePath = persistToOption(process.argv.slice(2)) ?? fileURLToPath(new URL('../../../.wrangler/state', import.meta.url));

/** The absolute state directory given by `--persist-to <dir>` (or `--persist-to=<dir>`), when there is one. */
function persistToOption(args: readonly string[]): string | undefined {
  const index = args.findIndex((arg) => arg === '--persist-to' || arg.startsWith('--persist-to='));
  if (index === -1) return undefined;
  const arg = args[index] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
  if (!value || value.startsWith('--')) throw new Error('--persist-to needs a directory');
  return resolve(value);
}

if (process.argv.includes('--reset')) {
  rmSync(statePath, { recursive: true, force: true });
  console.warn('Local sandbox state removed.');
}

const migrationsPath = fileURLToPath(new URL('../migrations/', import.meta.url));

const config = storageOnlyConfig();
const { env, dispose } = await getPlatformProxy<Env>({ configPath: config.path, persist: { path: `${statePath}/v3` }, remoteBindings: false });
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
  config.cleanUp();
}
