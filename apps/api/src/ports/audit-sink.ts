/**
 * The audit trail (D-15, L-9): one record per FGM interaction, on either
 * channel, delivered at least once and stored exactly once.
 */
import type { Interaction, LegacyInteraction } from '@fgm-is/rules';

/** The channel an interaction came by: the R4 REST API, or the legacy Spine messaging API. */
export type AuditChannel = 'r4' | 'messaging';

/** One audit record (D-15, L-9). Its `requestId` is its identity: storing it twice stores it once. */
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

/** What is known of a write's audit record before the write is decided: all but its outcome. */
export type AuditDraft = Omit<AuditEvent, 'status' | 'detailsCode' | 'flagId'>;

/**
 * Where the Worker hands audit records for delivery: off the response's
 * critical path, at least once (a queue, batched into the store). Throws
 * only when the record could be neither queued nor stored.
 */
export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
}

/**
 * The durable audit store an auditor queries. `insert` is idempotent by
 * `requestId`, so a redelivered record never makes a second row; it throws
 * when the store fails (the delivery is then retried).
 */
export interface AuditStore {
  insert(events: readonly AuditEvent[]): Promise<void>;
}
