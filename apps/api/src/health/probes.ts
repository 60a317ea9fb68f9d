/**
 * Health probes of the storage bindings (D-22): a read of a key that never
 * holds data, and `SELECT 1`.
 */
import type { AnswerProbe, ObservingProbe } from '../ports/health.ts';
import type { JobLog, JobName } from '../ports/job-log.ts';
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

/** D1's limit on one database (paid plan): 10 GB. */
export const D1_DATABASE_LIMIT_BYTES = 10 * 1000 ** 3;

/**
 * How full the audit database is (`d1:audit-size`, bytes, as D1 reports it
 * after a query): warns at 80 % of the limit, fails at 95 %, while there is
 * still room to move months to the archive (docs/runbook.md).
 */
export function d1SizeProbe(name: string, db: D1Database, limitBytes: number = D1_DATABASE_LIMIT_BYTES): ObservingProbe {
  return {
    name,
    async observe() {
      const { meta } = await db.prepare('SELECT 1').run();
      const size = Number(meta.size_after ?? 0);
      const status = size >= limitBytes * 0.95 ? 'fail' : size >= limitBytes * 0.8 ? 'warn' : 'pass';
      return { status, observedValue: size, observedUnit: 'bytes', ...(status === 'pass' ? {} : { output: 'near-size-limit' }) };
    },
  };
}

/** How long after its last success each job warns and then fails (`job:*`): each runs on a schedule (wrangler.toml). */
export const JOB_DEADLINES: Readonly<Record<JobName, { warnAfterSeconds: number; failAfterSeconds: number }>> = {
  // Daily at 00:15 UTC: one missed run warns, two fail (children past 18 would stay findable a day longer each).
  'age-out': { warnAfterSeconds: 26 * 3600, failAfterSeconds: 50 * 3600 },
  // Hourly at :45: D1 only fills more slowly while it stops, so it warns after 3 runs and fails after a day.
  'audit-archive': { warnAfterSeconds: 3 * 3600, failAfterSeconds: 26 * 3600 },
};

/**
 * When a scheduled job last finished (`job:age-out`, `job:audit-archive`,
 * seconds since): warns and fails by {@link JOB_DEADLINES}. A job that has
 * not run yet here (a fresh deployment, the sandbox, where crons do not fire)
 * passes, saying so.
 */
export function jobProbe(job: JobName, jobs: JobLog, now: () => number = Date.now): ObservingProbe {
  return {
    name: `job:${job}`,
    async observe() {
      const last = await jobs.lastSuccess(job);
      if (last === null) return { status: 'pass', observedValue: 0, observedUnit: 's', output: 'not-yet-run' };
      const age = Math.max(0, Math.round((now() - Date.parse(last)) / 1000));
      const { warnAfterSeconds, failAfterSeconds } = JOB_DEADLINES[job];
      const status = age >= failAfterSeconds ? 'fail' : age >= warnAfterSeconds ? 'warn' : 'pass';
      return { status, observedValue: age, observedUnit: 's', ...(status === 'pass' ? {} : { output: 'overdue' }) };
    },
  };
}
