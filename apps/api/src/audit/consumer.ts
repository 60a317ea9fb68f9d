/**
 * The audit queue's consumer (D-15): each batch of records into the store
 * in one write, acknowledged only once stored. The store's insert is
 * idempotent, so redelivery (a retry, or a record shipped twice) never
 * makes a second row.
 */
import * as v from 'valibot';
import { type AuditEvent, AuditEventSchema, type AuditLastResort, type AuditStore } from './event.ts';

/** The audit dead-letter queue is the audit queue's name with this suffix (wrangler.toml). */
export const DEAD_LETTER_SUFFIX = '-dlq';

/** The dead-letter queue's final delivery attempt: 1 + its `max_retries` (100) would be the 101st; the 100th is kept aside to be safe. */
export const DEAD_LETTER_LAST_ATTEMPT = 100;

/** What a batch came to. */
export interface ConsumedBatch {
  readonly stored: number;
  /** Messages that are not audit records (acknowledged and logged: no retry could ever store them). */
  readonly malformed: number;
  /** Whether the store failed and the batch (or what was not kept aside) was handed back for a later retry. */
  readonly retried: boolean;
  /** Records the store would not take on their last attempt, kept by the last resort instead. */
  readonly keptAside: number;
}

/** The last resort for records on their final delivery attempt (the dead-letter queue's). */
export interface LastAttempt {
  readonly isLast: (message: Message<unknown>) => boolean;
  readonly resort: AuditLastResort;
}

/**
 * Stores a batch. On a store failure the whole batch is retried after the
 * queue's retry delay; after its retries the dead-letter queue takes it,
 * whose consumer is this same function with a longer patience and, given
 * `last`, a last resort: records on their final attempt are kept aside
 * (R2) rather than dropped, and only then acknowledged.
 */
export async function consumeAuditBatch(batch: MessageBatch<unknown>, store: AuditStore, last?: LastAttempt): Promise<ConsumedBatch> {
  const parsed = new Map<Message<unknown>, AuditEvent>();
  let malformed = 0;
  for (const message of batch.messages) {
    const result = v.safeParse(AuditEventSchema, message.body);
    if (result.success) parsed.set(message, result.output);
    else malformed++;
  }
  const events = [...parsed.values()];
  try {
    await store.insert(events);
  } catch {
    const final = new Set(last ? batch.messages.filter((message) => last.isLast(message)) : []);
    if (!last || final.size === 0) {
      batch.retryAll();
      return { stored: 0, malformed, retried: true, keptAside: 0 };
    }
    const finalEvents = [...final].flatMap((message) => parsed.get(message) ?? []);
    try {
      await last.resort.keep(finalEvents);
    } catch {
      batch.retryAll();
      return { stored: 0, malformed, retried: true, keptAside: 0 };
    }
    for (const message of batch.messages) {
      if (final.has(message)) message.ack();
      else message.retry();
    }
    return { stored: 0, malformed, retried: final.size < batch.messages.length, keptAside: finalEvents.length };
  }
  batch.ackAll();
  return { stored: events.length, malformed, retried: false, keptAside: 0 };
}
