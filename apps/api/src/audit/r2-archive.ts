import { guardDependency } from '../ports/errors.ts';
/**
 * The audit archive on R2 (D-15 at national scale): whole months of audit
 * rows, one NDJSON object per partition chunk, keyed by patient bucket
 * (see `audit/partition.ts`).
 */
import type { AuditArchive, AuditRow } from './archive-store.ts';
import type { AuditLastResort } from './event.ts';

/** @internal Writes `items` as one NDJSON object (a JSON value a line). */
function putNdjson(bucket: R2Bucket, key: string, items: readonly unknown[]): Promise<unknown> {
  const body = items.map((item) => JSON.stringify(item)).join('\n');
  return guardDependency('r2', () => bucket.put(key, `${body}\n`, { httpMetadata: { contentType: 'application/x-ndjson' } }));
}

/** The {@link AuditArchive} on an R2 bucket: one NDJSON object per write. */
export function r2AuditArchive(bucket: R2Bucket): AuditArchive {
  return {
    async write(key, rows) {
      await putNdjson(bucket, key, rows);
    },
    async rowsUnder(prefix) {
      const rows: AuditRow[] = [];
      let cursor: string | undefined;
      do {
        const page = await guardDependency('r2', () => bucket.list({ prefix, ...(cursor ? { cursor } : {}) }));
        for (const object of page.objects) {
          const stored = await guardDependency('r2', () => bucket.get(object.key));
          if (!stored) continue;
          for (const line of (await stored.text()).split('\n')) if (line) rows.push(JSON.parse(line) as AuditRow);
        }
        cursor = page.truncated ? page.cursor : undefined;
      } while (cursor);
      return rows;
    },
  };
}

/**
 * The audit queue's last resort on R2: records D1 would not take on their
 * final delivery attempt, one NDJSON object per batch under
 * `audit/v1/undelivered/`, for an operator to load into D1 (the consumer
 * logs `audit_kept_aside` with the count).
 */
export function r2AuditLastResort(bucket: R2Bucket): AuditLastResort {
  return {
    async keep(events) {
      const first = events[0];
      if (!first) return;
      await putNdjson(bucket, `audit/v1/undelivered/${new Date().toISOString()}_${first.recordId}.ndjson`, events);
    },
  };
}
