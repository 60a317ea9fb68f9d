/**
 * The local sandbox's storage, for scripts: the platform proxy over a
 * configuration of only the storage bindings (the same ids as the Worker's
 * wrangler.toml, so the same stored data). With the Worker's Durable Object
 * bindings but not its classes, workerd would warn that the classes are
 * missing. Nothing is written outside the repository.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.WRANGLER_LOG ??= 'error';
// Offline: no Request.cf download from workers.cloudflare.com (a placeholder object is used), no update check.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_HIDE_BANNER ??= 'true';

/** The state `npm start` serves: wrangler's default beside this Worker's wrangler.toml. */
export const DEFAULT_STATE = fileURLToPath(new URL('../.wrangler/state', import.meta.url));

/** The absolute state directory given by `--persist-to <dir>` (or `--persist-to=<dir>`), when there is one. */
export function persistToOption(args: readonly string[]): string | undefined {
  const index = args.findIndex((arg) => arg === '--persist-to' || arg.startsWith('--persist-to='));
  if (index === -1) return undefined;
  const arg = args[index] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
  if (!value || value.startsWith('--')) throw new Error('--persist-to needs a directory');
  return resolve(value);
}

/** Which storage bindings a script needs. */
type Kind = 'kv' | 'd1' | 'r2';

/**
 * The Worker's storage bindings of `kinds` over the local state at
 * `statePath`; `dispose` when done.
 */
export async function localStorage(kinds: readonly Kind[], statePath: string): Promise<{ env: Env; dispose: () => Promise<void> }> {
  const { getPlatformProxy, unstable_readConfig } = await import('wrangler');
  const full = unstable_readConfig({ config: fileURLToPath(new URL('../wrangler.toml', import.meta.url)) });
  const scratch = fileURLToPath(new URL('../.wrangler/tmp/', import.meta.url));
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(join(scratch, 'storage-'));
  const path = join(dir, 'wrangler.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: full.name,
      compatibility_date: full.compatibility_date,
      ...(kinds.includes('kv')
        ? { kv_namespaces: full.kv_namespaces.map(({ binding, id }: { binding: string; id?: string }) => ({ binding, id })) }
        : {}),
      ...(kinds.includes('d1')
        ? {
            d1_databases: full.d1_databases.map(
              ({ binding, database_name, database_id }: { binding: string; database_name?: string; database_id?: string }) => ({
                binding,
                database_name,
                database_id,
              }),
            ),
          }
        : {}),
      ...(kinds.includes('r2')
        ? { r2_buckets: full.r2_buckets.map(({ binding, bucket_name }: { binding: string; bucket_name?: string }) => ({ binding, bucket_name })) }
        : {}),
    }),
  );
  try {
    const { env, dispose } = await getPlatformProxy<Env>({ configPath: path, persist: { path: `${statePath}/v3` }, remoteBindings: false });
    return {
      env,
      dispose: async () => {
        await dispose();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
