import { env, reset } from 'cloudflare:test';
import { afterEach, beforeEach } from 'vitest';
import { kvFlagStore } from '../../src/adapters/kv-flag-store/index.ts';
import { seedSandbox } from '../../src/sandbox/seed.ts';

/** Loads the spec §15 sandbox before each test and wipes all storage after it. */
export function useSandbox(): void {
  beforeEach(async () => {
    await seedSandbox({ flags: kvFlagStore(env.FLAGS), patients: env.PATIENTS });
  });
  afterEach(async () => {
    await reset();
  });
}
