/**
 * The D1 audit store (D-15): table `audit_events` (see `migrations/`), one
 * row per request id, queried by patient and by day.
 */
import type { AuditEvent, AuditStore } from '../../ports/audit-sink.ts';
import { guardDependency } from '../../ports/errors.ts';

// ON CONFLICT on the key alone, not INSERT OR IGNORE: that would also drop, silently, a row breaking a NOT NULL column.
const INSERT = `INSERT INTO audit_events (request_id, occurred_at, day, channel, interaction, trace_id, from_asid, user_sub, user_role, user_org, nhs_number, flag_id, status, details_code, message_birth_date, message_gp_practice)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
ON CONFLICT (request_id) DO NOTHING`;

/**
 * An {@link AuditStore} on one D1 database. A batch is one D1 round trip
 * and one transaction; a conflict on the request id (the primary key) is a
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
            ),
          ),
        ),
      );
    },
  };
}

/** A row of `audit_events`, as an auditor reads it. */
export interface AuditRow {
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
