/**
 * Health probes of the storage bindings (D-22): a read of a key that never
 * holds data, and `SELECT 1`.
 */
import type { AnswerProbe, ObservingProbe } from '../ports/health.ts';
import type { WritePathHealth, WritePathReport } from '../ports/write-path-health.ts';

/** A KV namespace answers a read (of a key no data ever lives under). */
export function kvProbe(name: string, kv: KVNamespace): AnswerProbe {
  return {
    name,
    async probe() {
      await kv.get('health:probe');
    },
  };
}

/** A D1 database answers `SELECT 1`. */
export function d1Probe(name: string, db: D1Database): AnswerProbe {
  return {
    name,
    async probe() {
      await db.prepare('SELECT 1').first();
    },
  };
}

/** An audit record older than this still in a ledger's outbox fails `/_status`: the audit store has been refusing it for long. */
export const OUTBOX_AGE_FAIL_SECONDS = 300;

/**
 * The write path as ledgers report it (issue 16), as two checks:
 *
 * - `ledger:write-path`: how many ledgers reported trouble in the last 15
 *   minutes. Fails when any refused a write (patients who cannot be changed)
 *   or could not store audit records; warns when a committed change's
 *   projection is only behind (search may lag, the change stands).
 * - `ledger:audit-outbox`: the age in seconds of the oldest audit record a
 *   ledger could not yet store (0 when none). Warns, then fails at
 *   {@link OUTBOX_AGE_FAIL_SECONDS}.
 */
export function writePathProbes(health: WritePathHealth, now: () => number = Date.now): [ObservingProbe, ObservingProbe] {
  // Both checks read the same list: one monitor call per `/_status`, shared for a second.
  let cached: { at: number; reports: Promise<WritePathReport[]> } | undefined;
  const reports = () => {
    if (!cached || now() - cached.at > 1_000) cached = { at: now(), reports: health.list() };
    return cached.reports;
  };
  return [
    {
      name: 'ledger:write-path',
      async observe() {
        const troubles = await reports();
        const kinds = new Set(troubles.map((t) => t.kind));
        const output = (['refused', 'outbox', 'projection'] as const).filter((k) => kinds.has(k)).join(',');
        const status = kinds.has('refused') || kinds.has('outbox') ? 'fail' : kinds.size > 0 ? 'warn' : 'pass';
        const ledgers = new Set(troubles.map((t) => t.ledger)).size;
        return { status, observedValue: ledgers, observedUnit: 'ledgers', ...(output ? { output } : {}) };
      },
    },
    {
      name: 'ledger:audit-outbox',
      async observe() {
        const oldest = Math.min(...(await reports()).flatMap((t) => (t.oldestOutboxAt ? [Date.parse(t.oldestOutboxAt)] : [])));
        const age = Number.isFinite(oldest) ? Math.max(0, Math.round((now() - oldest) / 1000)) : 0;
        const status = age === 0 ? 'pass' : age < OUTBOX_AGE_FAIL_SECONDS ? 'warn' : 'fail';
        return { status, observedValue: age, observedUnit: 's', ...(age > 0 ? { output: 'audit-not-stored' } : {}) };
      },
    },
  ];
}
