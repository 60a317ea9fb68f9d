/**
 * An audit row as D1 and the archive hold it (every column of
 * `audit_events`), for the operator-audit tests. Holds no test logic.
 */
import type { AuditRow } from '../../src/audit/archive-store.ts';
import { patientBucket } from '../../src/audit/partition.ts';

/**
 * A search by the sandbox's R4 user from `200000000001` for 9000000017
 * unless `fields` says otherwise; the request and trace ids follow the
 * record id, and the patient bucket the NHS number.
 */
export function auditRow(recordId: string, occurredAt: string, fields: Partial<AuditRow> = {}): AuditRow {
  const nhs = fields.nhs_number === undefined ? '9000000017' : fields.nhs_number;
  return {
    record_id: recordId,
    request_id: `req-${recordId}`,
    occurred_at: occurredAt,
    day: occurredAt.slice(0, 10),
    channel: 'r4',
    interaction: 'search',
    trace_id: `trace-${recordId}`,
    from_asid: '200000000001',
    user_sub: '123456789012',
    user_role: 'R8000',
    user_org: 'A12345',
    nhs_number: nhs,
    flag_id: null,
    status: 200,
    details_code: null,
    message_birth_date: null,
    message_gp_practice: null,
    patient_bucket: patientBucket(nhs),
    ...fields,
  };
}
