import { guardDependency } from '../ports/errors.ts';
import type { AuditHotStore, AuditPartition, AuditRow } from './archive-store.ts';
import type { AuditEvent, AuditStore } from './event.ts';
/**
 * The D1 audit store (D-15): table `audit_events` (see `migrations/`), one
 * row per request id, queried by patient and by day.
 */
import { nextMonthStart, patientBucket } from './partition.ts';

export type { AuditRow } from './archive-store.ts';

// ON CONFLICT on the key alone, not INSERT OR IGNORE: that would also drop, silently, a row breaking a NOT NULL column.
const INSERT = `INSERT INTO audit_events (request_id, occurred_at, day, channel, interaction, trace_id, from_asid, user_sub, user_role, user_org, nhs_number, flag_id, status, details_code, message_birth_date, message_gp_practice, patient_bucket, record_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
ON CONFLICT (record_id) DO NOTHING`;

/**
 * An {@link AuditStore} on one D1 database. A batch is one D1 round trip
 * and one transaction; a conflict on the record id (the primary key) is a
 * no-op, so a redelivered record never duplicates a row, while any other
 * constraint failure fails the whole batch (to be retried, never dropped).
 */
export function d1AuditStore(db: D1Database): AuditStore {
  return {
    async insert(events) {
      if (events.length === 0) return;
      const statement = db.prepare(INSERT);
      await guardDependency('d1', () =>
        db.batch(
          events.map((e) =>
            statement.bind(
              e.requestId,
              e.occurredAt,
              e.day,
              e.channel,
              e.interaction,
              e.traceId,
              e.fromAsid,
              e.userSub,
              e.userRole,
              e.userOrg,
              e.nhsNumber,
              e.flagId,
              e.status,
              e.detailsCode,
              e.messageBirthDate,
              e.gpPractice,
              patientBucket(e.nhsNumber),
              e.recordId,
            ),
          ),
        ),
      );
    },
  };
}

/** Every access to one patient's indicator in D1, oldest first (subject access requests; see also the archive). */
export async function auditForPatient(db: D1Database, nhsNumber: string): Promise<AuditRow[]> {
  const { results } = await db.prepare('SELECT * FROM audit_events WHERE nhs_number = ?1 ORDER BY occurred_at').bind(nhsNumber).all<AuditRow>();
  return results;
}

/** Every FGM interaction on one Europe/London day, oldest first. */
export async function auditForDay(db: D1Database, day: string): Promise<AuditRow[]> {
  const { results } = await db.prepare('SELECT * FROM audit_events WHERE day = ?1 ORDER BY occurred_at').bind(day).all<AuditRow>();
  return results;
}

/** D1 allows 100 bound parameters per statement. */
const DELETE_CHUNK = 100;

/**
 * The {@link AuditHotStore} on D1: partitions found through the day index,
 * a partition's rows through the bucket index (migration 0003).
 */
export function d1AuditHotStore(db: D1Database): AuditHotStore {
  return {
    async partitionsBefore(before, limit) {
      const { results } = await guardDependency('d1', () =>
        db
          .prepare(
            'SELECT DISTINCT substr(day, 1, 7) AS month, patient_bucket AS bucket FROM audit_events WHERE day < ?1 ORDER BY month, bucket LIMIT ?2',
          )
          .bind(before, limit)
          .all<{ month: string; bucket: number | null }>(),
      );
      return results.map((row): AuditPartition => ({ month: row.month, bucket: row.bucket }));
    },
    async rowsOf(partition, before, limit) {
      const from = `${partition.month}-01`;
      const next = nextMonthStart(partition.month);
      const to = before < next ? before : next;
      const bucketTest = partition.bucket === null ? 'patient_bucket IS NULL' : 'patient_bucket = ?4';
      const statement = db.prepare(
        `SELECT * FROM audit_events WHERE ${bucketTest} AND day >= ?1 AND day < ?2 ORDER BY occurred_at, record_id LIMIT ?3`,
      );
      const bound = partition.bucket === null ? statement.bind(from, to, limit) : statement.bind(from, to, limit, partition.bucket);
      const { results } = await guardDependency('d1', () => bound.all<AuditRow>());
      return results;
    },
    async remove(recordIds) {
      const statements: D1PreparedStatement[] = [];
      for (let i = 0; i < recordIds.length; i += DELETE_CHUNK) {
        const chunk = recordIds.slice(i, i + DELETE_CHUNK);
        statements.push(db.prepare(`DELETE FROM audit_events WHERE record_id IN (${chunk.map((_, j) => `?${j + 1}`).join(', ')})`).bind(...chunk));
      }
      if (statements.length > 0) await guardDependency('d1', () => db.batch(statements));
    },
    forPatient: (nhsNumber) => guardDependency('d1', () => auditForPatient(db, nhsNumber)),
  };
}
