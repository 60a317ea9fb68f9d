import { guardDependency } from '../ports/errors.ts';
/**
 * The Worker's audit sink (D-15): records go to the audit queue, which
 * delivers them to the store in batches, at least once.
 */
import type { AuditSink, AuditStore } from './event.ts';

/**
 * An {@link AuditSink} on a Cloudflare Queue. Should the queue refuse a
 * record, it is written straight to the store instead (idempotent, so a
 * record that also reached the queue is still one row); only when both fail
 * does `record` throw, for the caller to log.
 */
export function queueAuditSink(queue: Queue, fallback: AuditStore): AuditSink {
  return {
    async record(event) {
      try {
        await queue.send(event, { contentType: 'json' });
      } catch {
        await guardDependency('audit', () => fallback.insert([event]));
      }
    },
  };
}
