/**
 * How the audit trail is partitioned for national scale (see
 * docs/audit-at-scale.md): rows stay in D1 while recent, then move to R2 by
 * month, one object set per patient bucket, so a subject access request over
 * seven years reads one R2 prefix instead of every month's data.
 */

/** Buckets patients are spread over: about 270 KB of rows per bucket and month at the design volume (docs/audit-at-scale.md). */
export const AUDIT_BUCKETS = 4096;

/** How many days of audit stay in D1 (queried by day and by patient) before their month is archived. */
const AUDIT_HOT_DAYS = 90;

/**
 * A patient's archive bucket: the first nine digits of the NHS number (the
 * tenth is a check digit) modulo {@link AUDIT_BUCKETS}; `null` for a request
 * that named no patient.
 */
export function patientBucket(nhsNumber: string | null): number | null {
  if (nhsNumber === null || !/^[0-9]{10}$/.test(nhsNumber)) return null;
  return Number(nhsNumber.slice(0, 9)) % AUDIT_BUCKETS;
}

/** The bucket's name in archive keys: three hex digits, or `none` for rows naming no patient. */
export function bucketName(bucket: number | null): string {
  return bucket === null ? 'none' : bucket.toString(16).padStart(3, '0');
}

/** Where a bucket's archived rows live in R2. */
export function archivePrefix(bucket: number | null): string {
  return `audit/v1/${bucketName(bucket)}/`;
}

/**
 * The key of one archived object: bucket, month, then the first row it
 * holds, so the same rows archived again (a run cut off between the R2
 * write and the D1 delete) overwrite the same object.
 */
export function archiveKey(bucket: number | null, month: string, first: { readonly occurredAt: string; readonly recordId: string }): string {
  return `${archivePrefix(bucket)}${month}/${first.occurredAt}_${first.recordId}.ndjson`;
}

/** The first day of the month after `month` (`YYYY-MM`). */
export function nextMonthStart(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${String(year + 1).padStart(4, '0')}-01-01` : `${String(year).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * The first day that stays in D1 on `today`: the first of the month holding
 * the day `hotDays` back. Rows of earlier days are archivable, so months are
 * archived whole (one object per bucket and month, and a subject access
 * request over seven years reads about 84 objects), and D1 holds between
 * `hotDays` and `hotDays` + 31 days.
 */
export function archiveCutoff(today: string, hotDays: number = AUDIT_HOT_DAYS): string {
  const edge = new Date(`${today}T00:00:00.000Z`);
  edge.setUTCDate(edge.getUTCDate() - hotDays);
  return `${edge.toISOString().slice(0, 7)}-01`;
}
