/**
 * Health probes of the storage bindings (D-22): a read of a key that never
 * holds data, and `SELECT 1`.
 */
import type { HealthProbe } from '../../ports/health.ts';

/** A KV namespace answers a read (of a key no data ever lives under). */
export function kvProbe(name: string, kv: KVNamespace): HealthProbe {
  return {
    name,
    async probe() {
      await kv.get('health:probe');
    },
  };
}

/** A D1 database answers `SELECT 1`. */
export function d1Probe(name: string, db: D1Database): HealthProbe {
  return {
    name,
    async probe() {
      await db.prepare('SELECT 1').first();
    },
  };
}
