import type { AuditArchive, AuditHotStore } from './archive-store.ts';
/**
 * The audit archive job (D-15 at national scale): whole months of audit
 * rows older than the hot window move from D1 to R2, one patient bucket at a
 * time, written to R2 before they are deleted from D1.
 */
import { archiveCutoff, archiveKey } from './partition.ts';

/** The audit archive's Cron Trigger (wrangler.toml; test/wrangler-config.test.ts keeps the two in step); every other trigger is the daily age-out. */
export const ARCHIVE_CRON = '45 * * * *';

/** What one run moved, and whether archivable rows are left for the next run. */
export interface ArchiveReport {
  readonly objects: number;
  readonly rows: number;
  readonly more: boolean;
}

/** Limits of one run: rows per archived object, and objects per run (each costs an R2 write and a D1 read and delete). */
export interface ArchiveLimits {
  readonly hotDays?: number;
  readonly rowsPerObject?: number;
  readonly objectsPerRun?: number;
}

/**
 * Moves archivable rows: for each partition (month × bucket) with days
 * before the cutoff, the oldest rows go to one R2 object, then leave D1. A run cut
 * off between the two leaves the rows in both; the next run writes them
 * again under the same key (the key names the first row), and readers
 * de-duplicate by record id, so nothing is lost and nothing is counted twice.
 */
export async function archiveAudit(hot: AuditHotStore, archive: AuditArchive, today: string, limits: ArchiveLimits = {}): Promise<ArchiveReport> {
  const { hotDays, rowsPerObject = 5_000, objectsPerRun = 200 } = limits;
  const before = archiveCutoff(today, hotDays);
  let objects = 0;
  let rows = 0;
  // One query for the run's partitions (it reads every archivable row's index entry), then each partition in chunks.
  for (const partition of await hot.partitionsBefore(before, objectsPerRun)) {
    for (;;) {
      if (objects >= objectsPerRun) return { objects, rows, more: true };
      const chunk = await hot.rowsOf(partition, before, rowsPerObject);
      const first = chunk[0];
      if (!first) break;
      await archive.write(archiveKey(partition.bucket, partition.month, { occurredAt: first.occurred_at, recordId: first.record_id }), chunk);
      await hot.remove(chunk.map((row) => row.record_id));
      objects++;
      rows += chunk.length;
      if (chunk.length < rowsPerObject) break;
    }
  }
  return { objects, rows, more: objects >= objectsPerRun && (await hot.partitionsBefore(before, 1)).length > 0 };
}
