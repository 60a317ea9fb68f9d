/**
 * The audit record (D-15, L-9): one per FGM interaction, on either channel,
 * delivered at least once and stored exactly once. Its shape is written
 * once, as a valibot schema; the type is inferred from it, and the queue's
 * consumer checks what it receives against the same schema.
 */
import { INTERACTIONS, LEGACY_INTERACTIONS } from '@fgm-is/rules';
import * as v from 'valibot';

/** The channels an interaction can come by: the R4 REST API, or the legacy Spine messaging API. */
const CHANNELS = ['r4', 'messaging'] as const;

const Nullable = v.nullable(v.string());

/**
 * One audit record. Its `recordId`, made by the server, is its identity:
 * storing it twice stores it once (D-15, H-06).
 */
export const AuditEventSchema = v.object({
  /** A UUID per response recorded after it; `change:{flag id}:{version}` for a change the ledger committed. */
  recordId: v.pipe(v.string(), v.nonEmpty()),
  /** The request's X-Request-ID (the client's, when it sent a UUID: D-21); not unique. */
  requestId: v.pipe(v.string(), v.nonEmpty()),
  occurredAt: v.string(),
  /** Europe/London date of `occurredAt`. */
  day: v.string(),
  channel: v.picklist(CHANNELS),
  /** search, read, add, remove on R4; query, create, delete on messaging. */
  interaction: v.picklist([...INTERACTIONS, ...LEGACY_INTERACTIONS]),
  traceId: Nullable,
  fromAsid: Nullable,
  userSub: Nullable,
  userRole: Nullable,
  userOrg: Nullable,
  nhsNumber: Nullable,
  flagId: Nullable,
  status: v.number(),
  /** The Spine details code of an error or warning answer; null for a success. */
  detailsCode: Nullable,
  /** A legacy create's contained Patient birthDate: recorded, never trusted over the directory (L-6). */
  messageBirthDate: Nullable,
  /** A legacy create's GP practice ODS code (L-6). */
  gpPractice: Nullable,
});

/** One audit record, as {@link AuditEventSchema} describes it. */
export type AuditEvent = v.InferOutput<typeof AuditEventSchema>;

/** What is known of a request's audit record before its outcome: all but the outcome and the record's own id. */
export type AuditDraft = Omit<AuditEvent, 'recordId' | 'status' | 'detailsCode' | 'flagId'>;

/**
 * Where the Worker hands the records of reads and refusals, off the
 * response's critical path, at least once (H-06 C1: the queue, batched into
 * the store). Throws only when the record could be neither queued nor
 * stored. A change's record never comes this way: the ledger commits it
 * with the change and stores it itself (ADR 0002).
 */
export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
}

/**
 * The durable audit store an auditor queries (D-15). `insert` is idempotent
 * by `recordId`, so a redelivered record never makes a second row; it
 * throws when the store fails (the delivery is then retried).
 */
export interface AuditStore {
  insert(events: readonly AuditEvent[]): Promise<void>;
}

/**
 * Where records go that the store would not take on their last delivery
 * attempt, so that no record is ever dropped (H-06 C1): kept for an
 * operator to load (and logged). Throws when it fails too (the queue then
 * has its last try).
 */
export interface AuditLastResort {
  keep(events: readonly AuditEvent[]): Promise<void>;
}
