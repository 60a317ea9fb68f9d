/**
 * The runbook's signals (docs/runbook.md) that no other test shows: PDS
 * down in the logs, the audit database filling up, and the scheduled jobs
 * stopping, in `/_status` and the logs. (The write path's, the outbox's and
 * the audit queue's signals are asserted where those faults are made:
 * health.test.ts and audit-durability.test.ts. tools/check-runbook.mjs
 * checks that every signal the runbook names is emitted by code and
 * appears in a test.)
 */
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { D1_DATABASE_LIMIT_BYTES, JOB_DEADLINES, d1SizeProbe, jobProbe } from '../src/health/probes.ts';
import worker from '../src/index.ts';
import { DependencyUnavailableError } from '../src/ports/errors.ts';
import type { JobLog, JobName } from '../src/ports/job-log.ts';
import { addBody, call, fgmHeaders } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';
import { appWith } from './support/services.ts';

useSandbox();
afterEach(() => vi.restoreAllMocks());

/** The JSON log lines written at one level. */
const lines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

describe('PDS down (runbook: "PDS is down")', () => {
  it.each(['pds', 'pds-token'])(
    'an Add that cannot reach %s answers 503 and logs dependency_unavailable naming it, never the patient',
    async (dependency) => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const app = appWith({ patients: { lookup: () => Promise.reject(new DependencyUnavailableError(dependency)) } });
      const response = await app('/Flag', { method: 'POST', headers: await fgmHeaders(), body: JSON.stringify(addBody('9000000017')) });
      expect(response.status).toBe(503);
      expect(lines(errors)).toContainEqual(expect.objectContaining({ level: 'error', event: 'dependency_unavailable', dependency, route: '/Flag' }));
      expect(JSON.stringify(errors.mock.calls)).not.toContain('9000000017');
    },
  );
});

describe('the audit database filling up (runbook: "D1 near its size limit")', () => {
  it('d1:audit-size reports the bytes D1 says it holds: pass, warn from 80 %, fail from 95 % of the limit', async () => {
    const pass = await d1SizeProbe('d1:audit-size', env.AUDIT_DB).observe();
    expect(pass).toEqual({ status: 'pass', observedValue: expect.any(Number), observedUnit: 'bytes' });
    const size = pass.observedValue;
    expect(size).toBeGreaterThan(0);
    expect(size).toBeLessThan(D1_DATABASE_LIMIT_BYTES);
    expect(await d1SizeProbe('d1:audit-size', env.AUDIT_DB, size / 0.85).observe()).toMatchObject({ status: 'warn', output: 'near-size-limit' });
    expect(await d1SizeProbe('d1:audit-size', env.AUDIT_DB, size).observe()).toMatchObject({ status: 'fail', output: 'near-size-limit' });
  });
});

describe('a scheduled job that stops (runbook: "the age-out job failing")', () => {
  /** A job log held in memory. */
  const held = (last: string | null): JobLog => ({ succeeded: async () => {}, lastSuccess: async () => last });
  const at = Date.parse('2026-12-07T12:00:00Z');

  it.each([
    ['age-out', null, 'pass', 'not-yet-run'],
    ['age-out', JOB_DEADLINES['age-out'].warnAfterSeconds - 1, 'pass', undefined],
    ['age-out', JOB_DEADLINES['age-out'].warnAfterSeconds, 'warn', 'overdue'],
    ['age-out', JOB_DEADLINES['age-out'].failAfterSeconds, 'fail', 'overdue'],
    ['audit-archive', JOB_DEADLINES['audit-archive'].warnAfterSeconds, 'warn', 'overdue'],
    ['audit-archive', JOB_DEADLINES['audit-archive'].failAfterSeconds, 'fail', 'overdue'],
  ] as const)('job:%s last done %s s ago → %s', async (job, ago, status, output) => {
    const last = ago === null ? null : new Date(at - ago * 1000).toISOString();
    const observed = await jobProbe(job as JobName, held(last), () => at).observe();
    expect(observed).toEqual({ status, observedValue: ago ?? 0, observedUnit: 's', ...(output ? { output } : {}) });
  });

  it('a run of the age-out Cron Trigger is noted, and /_status job:age-out then shows how long ago', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {});
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: '15 0 * * *' }), env);
    const body = (await (await call('/_status')).json()) as { checks: Record<string, Array<{ status: string; observedValue: number }>> };
    expect(body.checks['job:age-out']).toEqual([{ status: 'pass', observedValue: expect.any(Number), observedUnit: 's' }]);
    expect(body.checks['job:age-out']?.[0]?.observedValue).toBeLessThan(60);
    expect(body.checks['job:audit-archive']).toEqual([{ status: 'pass', observedValue: 0, observedUnit: 's', output: 'not-yet-run' }]);
  });

  it('a run that fails logs job_failed naming the job, is not noted, and fails the invocation', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = { ...env, FLAGS: { ...env.FLAGS, list: () => Promise.reject(new Error('KV down')) } as unknown as KVNamespace };
    await expect(worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: '15 0 * * *' }), broken)).rejects.toThrow();
    expect(lines(errors)).toContainEqual(expect.objectContaining({ level: 'error', event: 'job_failed', job: 'age-out' }));
    expect(await env.FLAGS.get('job:age-out:last-success')).toBeNull();
  });
});
