/**
 * The audit trail (D-15, L-9): one record per FGM interaction, on either channel.
 */
import type { Interaction, LegacyInteraction } from '@fgm-is/rules';

/** The channel an interaction came by: the R4 REST API, or the legacy Spine messaging API. */
export type AuditChannel = 'r4' | 'messaging';

/** One audit record (D-15, L-9). */
export interface AuditEvent {
  readonly requestId: string;
  readonly occurredAt: string;
  /** Europe/London date of `occurredAt`. */
  readonly day: string;
  readonly channel: AuditChannel;
  /** search, read, add, remove on R4; query, create, delete on messaging. */
  readonly interaction: Interaction | LegacyInteraction;
  readonly traceId: string | null;
  readonly fromAsid: string | null;
  readonly userSub: string | null;
  readonly userRole: string | null;
  readonly userOrg: string | null;
  readonly nhsNumber: string | null;
  readonly flagId: string | null;
  readonly status: number;
  readonly detailsCode: string | null;
  /** A legacy create's contained Patient birthDate: recorded, never trusted over the directory (L-6). */
  readonly messageBirthDate: string | null;
  /** A legacy create's GP practice ODS code (L-6). */
  readonly gpPractice: string | null;
}

/** Where audit records go: durable storage an auditor can query. Throws when the write fails. */
export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
}
