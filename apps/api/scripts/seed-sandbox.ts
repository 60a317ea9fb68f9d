/**
 * Loads the sandbox fixtures (spec §15) into the local KV that `wrangler dev`
 * serves, before it starts. Idempotent. `--reset` wipes local state first.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getPlatformProxy } from 'wrangler';
import { kvFlagStore } from '../src/adapters/kv-flag-store/index.ts';
import { seedSandbox } from '../src/sandbox/seed.ts';

const configPath = fileURLToPath(new URL('../../../wrangler.toml', import.meta.url));
const statePath = fileURLToPath(new URL('../../../.wrangler/state', import.meta.url));

if (process.argv.includes('--reset')) {
  rmSync(statePath, { recursive: true, force: true });
  console.warn('Local sandbox state removed.');
}

const { env, dispose } = await getPlatformProxy<Env>({ configPath, persist: { path: `${statePath}/v3` }, remoteBindings: false });
try {
  const created = await seedSandbox({ flags: kvFlagStore(env.FLAGS), patients: env.PATIENTS });
  console.warn(`Sandbox loaded: patients written, ${created} fixture flag(s) created.`);
} finally {
  await dispose();
}
