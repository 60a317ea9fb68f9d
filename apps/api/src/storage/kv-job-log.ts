import { guardDependency } from '../ports/errors.ts';
import type { JobLog, JobName } from '../ports/job-log.ts';

/** @internal The key of a job's last success: beside the flags, under a prefix no flag or index key uses. */
const keyOf = (job: JobName) => `job:${job}:last-success`;

/** The jobs' log in a KV namespace (the flags namespace: one small key per job, written once per run). */
export function kvJobLog(kv: KVNamespace): JobLog {
  return {
    succeeded: (job, at) => guardDependency('kv', () => kv.put(keyOf(job), at)),
    lastSuccess: (job) => guardDependency('kv', () => kv.get(keyOf(job))),
  };
}
