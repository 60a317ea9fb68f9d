/**
 * The audit queue's consumer (D-15): each batch of records into the store
 * in one write, acknowledged only once stored. The store's insert is
 * idempotent, so redelivery (a retry, or a record shipped twice) never
 * makes a second row.
 */
import * as v from 'valibot';
import type { AuditEvent, AuditStore } from '../ports/audit-sink.ts';

const Nullable = v.nullable(v.string());

/** @internal What a queued audit record must look like; anything else was never written by this service. */
const AuditEventSchema = v.object({
  requestId: v.pipe(v.string(), v.nonEmpty()),
  occurredAt: v.string(),
  day: v.string(),
  channel: v.picklist(['r4', 'messaging']),
  interaction: v.picklist(['search', 'read', 'add', 'remove', 'query', 'create', 'delete']),
  traceId: Nullable,
  fromAsid: Nullable,
  userSub: Nullable,
  userRole: Nullable,
  userOrg: Nullable,
  nhsNumber: Nullable,
  flagId: Nullable,
  status: v.number(),
  detailsCode: Nullable,
  messageBirthDate: Nullable,
  gpPractice: Nullable,
});

/** What a batch came to. */
export interface ConsumedBatch {
  readonly stored: number;
  /** Messages that are not audit records (acknowledged and logged: no retry could ever store them). */
  readonly malformed: number;
  /** Whether the store failed and the batch was handed back for a later retry. */
  readonly retried: boolean;
}

/**
 * Stores a batch. On a store failure the whole batch is retried after the
 * queue's retry delay (after its retries, the dead-letter queue takes it,
 * whose consumer is this same function with a longer patience).
 */
export async function consumeAuditBatch(batch: MessageBatch<unknown>, store: AuditStore): Promise<ConsumedBatch> {
  const events: AuditEvent[] = [];
  let malformed = 0;
  for (const message of batch.messages) {
    const parsed = v.safeParse(AuditEventSchema, message.body);
    if (parsed.success) events.push(parsed.output);
    else malformed++;
  }
  try {
    await store.insert(events);
  } catch {
    batch.retryAll();
    return { stored: 0, malformed, retried: true };
  }
  batch.ackAll();
  return { stored: events.length, malformed, retried: false };
}
