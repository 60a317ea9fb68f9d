import type { AuditEvent, AuditSink } from '../../ports/audit-sink.ts';
import { guardDependency } from '../../ports/errors.ts';

/** The D1 audit trail (table `audit_events`, see `migrations/`). */
export function d1AuditSink(db: D1Database): AuditSink {
  return {
    async record(e) {
      await guardDependency('d1', () =>
        db
          .prepare(
            `INSERT INTO audit_events (request_id, occurred_at, day, channel, interaction, trace_id, from_asid, user_sub, user_role, user_org, nhs_number, flag_id, status, details_code, message_birth_date, message_gp_practice)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)`,
          )
          .bind(
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
          )
          .run(),
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

/** Every access to one patient's indicator, oldest first (subject access requests). */
export async function auditForPatient(db: D1Database, nhsNumber: string): Promise<AuditRow[]> {
  const { results } = await db.prepare('SELECT * FROM audit_events WHERE nhs_number = ?1 ORDER BY occurred_at').bind(nhsNumber).all<AuditRow>();
  return results;
}

/** Every FGM interaction on one Europe/London day, oldest first. */
export async function auditForDay(db: D1Database, day: string): Promise<AuditRow[]> {
  const { results } = await db.prepare('SELECT * FROM audit_events WHERE day = ?1 ORDER BY occurred_at').bind(day).all<AuditRow>();
  return results;
}
