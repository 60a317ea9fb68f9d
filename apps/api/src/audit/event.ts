/**
 * The audit trail (D-15, L-9): one record per FGM interaction, on either
 * channel, delivered at least once and stored exactly once.
 */
import type { Interaction, LegacyInteraction } from '@fgm-is/rules';

/** The channel an interaction came by: the R4 REST API, or the legacy Spine messaging API. */
export type AuditChannel = 'r4' | 'messaging';

/**
 * One audit record (D-15, L-9). Its `recordId`, made by the server, is its
 * identity: storing it twice stores it once.
 */
export interface AuditEvent {
  /** A UUID per response recorded after it; `change:{flag id}:{version}` for a change the ledger committed. */
  readonly recordId: string;
  /** The request's X-Request-ID (the client's, when it sent a UUID: D-21); not unique. */
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

/** What is known of a request's audit record before its outcome: all but the outcome and the record's own id. */
export type AuditDraft = Omit<AuditEvent, 'recordId' | 'status' | 'detailsCode' | 'flagId'>;

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
 * `recordId`, so a redelivered record never makes a second row; it throws
 * when the store fails (the delivery is then retried).
 */
export interface AuditStore {
  insert(events: readonly AuditEvent[]): Promise<void>;
}

/**
 * Where records go that the store would not take on their last delivery
 * attempt, so that no record is ever dropped: kept for an operator to load
 * (and logged). Throws when it fails too (the queue then has its last try).
 */
export interface AuditLastResort {
  keep(events: readonly AuditEvent[]): Promise<void>;
}
