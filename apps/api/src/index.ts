/**
 * The FGM-IS Worker: HTTP through the Hono app, the daily age-out job
 * (D-13) through the Cron Trigger, the audit queue's consumer (D-15), and
 * the Durable Object classes.
 */
import { londonDate } from '@fgm-is/rules';
import { createApp } from './app.ts';
import { ARCHIVE_CRON, archiveAudit } from './audit/archive-job.ts';
import { DEAD_LETTER_LAST_ATTEMPT, DEAD_LETTER_SUFFIX, consumeAuditBatch } from './audit/consumer.ts';
import { storesFromEnv } from './compose.ts';
import { ageOut } from './jobs/age-out.ts';
import { describeError, log } from './log/index.ts';
import type { JobName } from './ports/job-log.ts';

export { FlagLocatorObject } from './register/flag-locator.ts';
export { WritePathMonitor } from './health/write-path-monitor.ts';
export { FlagLedger } from './register/flag-ledger.ts';

const app = createApp();

export default {
  fetch: app.fetch,

  /**
   * The Cron Triggers (wrangler.toml): age-out daily (D-13), the audit
   * archive hourly (D-15). Each needs only its own stores, so a
   * configuration fault elsewhere (auth, directory) cannot stop it; awaited,
   * so a failed run shows as a failed invocation.
   */
  async scheduled(controller, env) {
    const today = londonDate(new Date(controller.scheduledTime));
    const stores = storesFromEnv(env);
    const job: JobName = controller.cron === ARCHIVE_CRON ? 'audit-archive' : 'age-out';
    try {
      if (job === 'audit-archive') log('info', 'audit_archive', { ...(await archiveAudit(stores.auditHot, stores.auditArchive, today)) });
      else log('info', 'age_out', { ...(await ageOut(stores.flags, today)) });
      await stores.jobs.succeeded(job, new Date().toISOString());
    } catch (error) {
      // The runbook's signal of a job that failed (and `/_status` job:* once it is overdue); rethrown, so the invocation fails too.
      log('error', 'job_failed', { job, ...describeError(error) });
      throw error;
    }
  },

  /**
   * The audit queue and its dead-letter queue: batches into D1. It needs
   * only the audit store (from the composition root's bindings-only stores), so no configuration fault can stop it.
   */
  async queue(batch, env) {
    // The dead-letter queue's consumer gets a last resort for each message's final attempt (wrangler.toml: max_retries = 100).
    const { auditStore, auditLastResort } = storesFromEnv(env);
    const last = batch.queue.endsWith(DEAD_LETTER_SUFFIX)
      ? { isLast: (message: Message<unknown>) => message.attempts >= DEAD_LETTER_LAST_ATTEMPT, resort: auditLastResort }
      : undefined;
    const result = await consumeAuditBatch(batch, auditStore, last);
    if (result.keptAside > 0) log('error', 'audit_kept_aside', { queue: batch.queue, ...result });
    else if (result.malformed > 0 || result.retried) log(result.retried ? 'warn' : 'error', 'audit_batch', { queue: batch.queue, ...result });
  },
} satisfies ExportedHandler<Env>;
