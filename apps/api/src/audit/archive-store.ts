/**
 * The audit trail at national scale (D-15): recent rows in the hot store
 * (D1), whole months of older rows in the archive (R2), partitioned by
 * patient bucket (see `audit/partition.ts`).
 */

/** A row of the audit trail, as an auditor reads it (the `audit_events` columns). */
export interface AuditRow {
  record_id: string;
  request_id: string;
  occurred_at: string;
  day: string;
  channel: string;
  interaction: string;
  trace_id: string | null;
  from_asid: string | null;
  user_sub: string | null;
  user_role: string | null;
  user_org: string | null;
  nhs_number: string | null;
  flag_id: string | null;
  status: number;
  details_code: string | null;
  message_birth_date: string | null;
  message_gp_practice: string | null;
  patient_bucket: number | null;
}

/** One month of one bucket. */
export interface AuditPartition {
  readonly month: string;
  readonly bucket: number | null;
}

/** The hot audit store, as the archive job and subject access requests use it. Methods throw when the store fails. */
export interface AuditHotStore {
  /** Up to `limit` partitions holding rows of days before `before`. */
  partitionsBefore(before: string, limit: number): Promise<AuditPartition[]>;
  /** The oldest `limit` rows of a partition on days before `before`, by time then record id. */
  rowsOf(partition: AuditPartition, before: string, limit: number): Promise<AuditRow[]>;
  /** Deletes rows by record id (after they are archived). */
  remove(recordIds: readonly string[]): Promise<void>;
  /** Every row naming the patient, oldest first. */
  forPatient(nhsNumber: string): Promise<AuditRow[]>;
}

/** The audit archive: objects of rows, written whole, listed by prefix. Methods throw when the store fails. */
export interface AuditArchive {
  /** Writes (or overwrites) one object of rows. */
  write(key: string, rows: readonly AuditRow[]): Promise<void>;
  /** Every row of every object under a prefix. */
  rowsUnder(prefix: string): Promise<AuditRow[]>;
}
