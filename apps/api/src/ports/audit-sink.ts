import type { Interaction } from '@fgm-is/rules';

/** One audit record (D-15). */
export interface AuditEvent {
  readonly requestId: string;
  readonly occurredAt: string;
  /** Europe/London date of `occurredAt`. */
  readonly day: string;
  readonly interaction: Interaction;
  readonly traceId: string | null;
  readonly fromAsid: string | null;
  readonly userSub: string | null;
  readonly userRole: string | null;
  readonly userOrg: string | null;
  readonly nhsNumber: string | null;
  readonly flagId: string | null;
  readonly status: number;
  readonly detailsCode: string | null;
}

/** Where audit records go: durable storage an auditor can query. Throws when the write fails. */
export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
}
