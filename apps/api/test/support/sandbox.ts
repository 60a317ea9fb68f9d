/**
 * Each test starts from the spec §15 sandbox and leaves no flag state behind.
 */
import { listDurableObjectIds, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach } from 'vitest';
import { seedSandbox } from '../../src/sandbox/seed.ts';
import { kvFlagStore } from '../../src/storage/kv-flag-store.ts';

/** @internal Deletes every key of a KV namespace. */
async function clearKv(kv: KVNamespace): Promise<void> {
  for (;;) {
    const page = await kv.list();
    if (page.keys.length === 0) return;
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
  }
}

/**
 * Before each test: the spec §15 sandbox (the audit schema is applied once
 * per file by `test/setup.ts`). After each: the flag state is wiped (both KV
 * namespaces and every FlagLedger object's storage). The audit trail is
 * append-only and is not wiped, so audit writes still in flight from a
 * finished test land safely; audit tests find their rows by request id.
 */
export function useSandbox(): void {
  beforeEach(async () => {
    await seedSandbox({ flags: kvFlagStore(env.FLAGS), patients: env.PATIENTS });
  });
  afterEach(async () => {
    for (const id of await listDurableObjectIds(env.FLAG_LEDGER)) {
      await runInDurableObject(env.FLAG_LEDGER.get(id), async (_instance, state) => {
        await state.storage.deleteAlarm();
        await state.storage.deleteAll();
      });
    }
    await clearKv(env.FLAGS);
    await clearKv(env.PATIENTS);
  });
}
