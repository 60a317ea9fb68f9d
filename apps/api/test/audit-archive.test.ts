/**
 * The audit trail at national scale (D-15): closed months move from D1 to
 * R2 by patient bucket, and a subject access request still sees every row
 * once, whether a run finished, was cut off, or ran twice.
 */
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ARCHIVE_CRON, archiveAudit } from '../src/audit/archive-job.ts';
import type { AuditArchive } from '../src/audit/archive-store.ts';
import { d1AuditHotStore, d1AuditStore } from '../src/audit/d1-store.ts';
import type { AuditEvent } from '../src/audit/event.ts';
import { archivePrefix, patientBucket } from '../src/audit/partition.ts';
import { r2AuditArchive } from '../src/audit/r2-archive.ts';
import { auditForSubject } from '../src/audit/subject-access.ts';
import worker from '../src/index.ts';
import { testAuditEvent } from '../src/test-support/audit-draft.ts';

afterEach(async () => {
  vi.restoreAllMocks();
  await env.AUDIT_DB.prepare('DELETE FROM audit_events').run();
  const listed = await env.AUDIT_ARCHIVE.list();
  if (listed.objects.length > 0) await env.AUDIT_ARCHIVE.delete(listed.objects.map((o) => o.key));
});

const TODAY = '2026-11-22';

/** An audit record of `nhsNumber` on `day` (a search), with a unique record id. */
function event(nhsNumber: string | null, day: string, n: number): AuditEvent {
  return testAuditEvent(`r-${day}-${nhsNumber}-${n}`, {
    interaction: 'search',
    nhsNumber,
    day,
    occurredAt: `${day}T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
  });
}

/** 9000040965 shares 9000000009's bucket (900004096 − 900000000 = 4096); 9000000025 is in another. */
const SAME_BUCKET = '9000040965';

/** Three patients (two sharing a bucket) and rows naming nobody, on seven days over eight months. */
async function seed(): Promise<AuditEvent[]> {
  const days = ['2026-03-31', '2026-04-01', '2026-06-15', '2026-07-31', '2026-08-01', '2026-10-05', '2026-11-21'];
  const events: AuditEvent[] = [];
  for (const day of days) {
    for (let n = 0; n < 3; n++) {
      events.push(event('9000000009', day, n), event('9000000025', day, n), event(SAME_BUCKET, day, n), event(null, day, n));
    }
  }
  await d1AuditStore(env.AUDIT_DB).insert(events);
  return events;
}

const idsOf = (rows: { record_id: string }[]) => rows.map((r) => r.record_id);
const hot = () => d1AuditHotStore(env.AUDIT_DB);
const archive = () => r2AuditArchive(env.AUDIT_ARCHIVE);

describe('[H-06] audit archive: closed months from D1 to R2, by patient bucket', () => {
  it('[H-06] moves whole months before the hot window to R2 and leaves the rest in D1; a subject access request sees the same rows as before', async () => {
    await seed();
    const before = await auditForSubject(hot(), archive(), '9000000009');
    expect(before).toHaveLength(21);

    const report = await archiveAudit(hot(), archive(), TODAY);
    expect(report.more).toBe(false);
    // Cutoff 2026-08-01 (90 days before 22 November is in August): March, April, June and July move, whole.
    // Four days × three rows × four kinds of row.
    expect(report.rows).toBe(4 * 3 * 4);
    const { results } = await env.AUDIT_DB.prepare('SELECT DISTINCT day FROM audit_events ORDER BY day').all<{ day: string }>();
    expect(results.map((r) => r.day)).toEqual(['2026-08-01', '2026-10-05', '2026-11-21']);

    const after = await auditForSubject(hot(), archive(), '9000000009');
    expect(after).toEqual(before);
    // The patient's bucket holds only that bucket's patients; another bucket's patient is elsewhere.
    const keys = (await env.AUDIT_ARCHIVE.list({ prefix: archivePrefix(patientBucket('9000000009')) })).objects.map((o) => o.key);
    expect(keys.map((k) => k.split('/')[3])).toEqual(['2026-03', '2026-04', '2026-06', '2026-07']);
    expect(patientBucket(SAME_BUCKET)).toBe(patientBucket('9000000009'));
    expect(patientBucket('9000000025')).not.toBe(patientBucket('9000000009'));
    expect(after.every((row) => row.nhs_number === '9000000009')).toBe(true);
    expect(idsOf(await auditForSubject(hot(), archive(), SAME_BUCKET))).toHaveLength(21);
    expect(idsOf(await auditForSubject(hot(), archive(), '9000000025'))).toHaveLength(21);
    expect((await env.AUDIT_ARCHIVE.list({ prefix: archivePrefix(null) })).objects).toHaveLength(4);
  });

  it('[H-06] a run cut off between the R2 write and the D1 delete loses nothing and, run again, counts nothing twice', async () => {
    await seed();
    const before = await auditForSubject(hot(), archive(), SAME_BUCKET);
    const failingDelete = { ...hot(), remove: () => Promise.reject(new Error('D1 overloaded')) };
    await expect(archiveAudit(failingDelete, archive(), TODAY)).rejects.toThrow('D1 overloaded');
    expect(await auditForSubject(hot(), archive(), SAME_BUCKET)).toEqual(before);
    const objectsAfterCutOff = (await env.AUDIT_ARCHIVE.list()).objects.length;
    await archiveAudit(hot(), archive(), TODAY);
    await archiveAudit(hot(), archive(), TODAY);
    expect(await auditForSubject(hot(), archive(), SAME_BUCKET)).toEqual(before);
    // The re-run wrote the cut-off run's object again under the same key, and no other: 4 months × 3 buckets in all.
    expect(objectsAfterCutOff).toBe(1);
    expect((await env.AUDIT_ARCHIVE.list()).objects).toHaveLength(12);
  });

  it('[H-06] a run that could not write to R2 deletes nothing', async () => {
    await seed();
    const broken: AuditArchive = { ...archive(), write: () => Promise.reject(new Error('R2 unavailable')) };
    await expect(archiveAudit(hot(), broken, TODAY)).rejects.toThrow('R2 unavailable');
    expect((await env.AUDIT_DB.prepare('SELECT COUNT(*) AS n FROM audit_events').first<{ n: number }>())?.n).toBe(84);
  });

  it('splits a large partition into objects of at most rowsPerObject rows, and stops at objectsPerRun, reporting more', async () => {
    await seed();
    const first = await archiveAudit(hot(), archive(), TODAY, { rowsPerObject: 2, objectsPerRun: 3 });
    // The first partition (March, one bucket) holds 3 rows: objects of 2 and 1; then the next partition's first 2.
    expect(first).toEqual({ objects: 3, rows: 5, more: true });
    let report = first;
    while (report.more) report = await archiveAudit(hot(), archive(), TODAY, { rowsPerObject: 2, objectsPerRun: 50 });
    expect(idsOf(await auditForSubject(hot(), archive(), '9000000009'))).toHaveLength(21);
  });

  it('runs from the Worker’s hourly Cron Trigger', async () => {
    await seed();
    const lines: string[] = [];
    vi.spyOn(console, 'info').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const controller = createScheduledController({ scheduledTime: new Date(`${TODAY}T10:45:00.000Z`), cron: ARCHIVE_CRON });
    await worker.scheduled(controller, env);
    expect((await env.AUDIT_DB.prepare('SELECT COUNT(*) AS n FROM audit_events').first<{ n: number }>())?.n).toBe(36);
    // Four months × three buckets (two patients share one; rows naming nobody have their own).
    expect(lines).toEqual([expect.stringContaining('"event":"audit_archive","objects":12,"rows":48,"more":false')]);
  });
});
