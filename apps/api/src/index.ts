/**
 * The FGM-IS Worker: HTTP through the Hono app, the daily age-out job
 * (D-13) through the Cron Trigger, the audit queue's consumer (D-15), and
 * the Durable Object classes.
 */
import { londonDate } from '@fgm-is/rules';
import { d1AuditStore } from './adapters/d1-audit-store/index.ts';
import { kvFlagStore } from './adapters/kv-flag-store/index.ts';
import { createApp } from './app.ts';
import { consumeAuditBatch } from './audit/consumer.ts';
import { log } from './http/logging.ts';
import { ageOut } from './scheduled/age-out.ts';

export { FlagLocatorObject } from './adapters/durable-flag-locator/index.ts';
export { FlagLedger } from './ledger/flag-ledger.ts';

const app = createApp();

export default {
  fetch: app.fetch,

  /**
   * Age-out (D-13). It needs only the flag store, so a configuration fault
   * elsewhere (auth, directory) cannot stop it; awaited, so a failed run
   * shows as a failed Cron Trigger invocation.
   */
  async scheduled(controller, env) {
    const report = await ageOut(kvFlagStore(env.FLAGS), londonDate(new Date(controller.scheduledTime)));
    console.info(JSON.stringify({ level: 'info', event: 'age_out', ...report }));
  },

  /**
   * The audit queue and its dead-letter queue: batches into D1. It needs
   * only the audit store, so no other configuration fault can stop it.
   */
  async queue(batch, env) {
    const result = await consumeAuditBatch(batch, d1AuditStore(env.AUDIT_DB));
    if (result.malformed > 0 || result.retried) log(result.retried ? 'warn' : 'error', 'audit_batch', { queue: batch.queue, ...result });
  },
} satisfies ExportedHandler<Env>;
