/**
 * KV operation counters for the cost benchmark: a proxy over each KV
 * binding counts reads (get, getWithMetadata, list) and writes (put,
 * delete). The counters live in module scope, shared by the Worker and its
 * Durable Objects in the one local isolate.
 */

export interface KvCount {
  reads: number;
  writes: number;
}

export const counters: Record<'FLAGS' | 'PATIENTS', KvCount> = { FLAGS: { reads: 0, writes: 0 }, PATIENTS: { reads: 0, writes: 0 } };

export function resetCounters(): void {
  for (const count of Object.values(counters)) Object.assign(count, { reads: 0, writes: 0 });
}

const READS = new Set(['get', 'getWithMetadata', 'list']);
const WRITES = new Set(['put', 'delete']);

function countingKv(kv: KVNamespace, count: KvCount): KVNamespace {
  return new Proxy(kv, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (READS.has(String(property))) count.reads++;
        else if (WRITES.has(String(property))) count.writes++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const instrumented = new WeakMap<Env, Env>();

/** The env with counting KV bindings; the same object for the same env, so per-env caches still hit. */
export function instrument(env: Env): Env {
  let wrapped = instrumented.get(env);
  if (!wrapped) {
    wrapped = { ...env, FLAGS: countingKv(env.FLAGS, counters.FLAGS), PATIENTS: countingKv(env.PATIENTS, counters.PATIENTS) };
    instrumented.set(env, wrapped);
  }
  return wrapped;
}
