/**
 * When each scheduled job last finished: what `/_status` reads to show a job
 * that has stopped running (the runbook's age-out and archive signals).
 */

/** The scheduled jobs (wrangler.toml's Cron Triggers). */
export type JobName = 'age-out' | 'audit-archive';

/** The jobs' log of successful runs. */
export interface JobLog {
  /** Notes that `job` finished at `at` (ISO instant). Throws `DependencyUnavailableError` when it cannot be stored. */
  succeeded(job: JobName, at: string): Promise<void>;
  /** When `job` last finished, or `null` if it never has (here). */
  lastSuccess(job: JobName): Promise<string | null>;
}
