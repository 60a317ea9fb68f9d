/**
 * A patient's ledger whose KV writes fail until healed: a fresh instance of
 * the patient's `FlagLedger` Durable Object is given a FLAGS binding that
 * refuses `put` and `delete` (reads still work), as a KV write outage would.
 */
import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { FlagLedger } from '../../src/register/flag-ledger.ts';

/** Breaks the KV writes of `nhsNumber`'s ledger (killing every live object first, so a fresh one takes the binding); `heal` mends them. */
export async function ledgerWithKvWritesDown(nhsNumber: string): Promise<{ stub: DurableObjectStub<FlagLedger>; heal: () => void }> {
  let down = true;
  const failingWrites = new Proxy(env.FLAGS, {
    get(target, property) {
      if ((property === 'put' || property === 'delete') && down) return () => Promise.reject(new Error('kv down'));
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  await abortAllDurableObjects();
  const stub = env.FLAG_LEDGER.getByName(nhsNumber);
  await runInDurableObject(stub, (instance: FlagLedger) => {
    Object.assign(instance, { env: { ...env, FLAGS: failingWrites } });
  });
  return {
    stub,
    heal: () => {
      down = false;
    },
  };
}
