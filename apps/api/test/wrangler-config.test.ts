/**
 * The values the Worker's code shares with its Wrangler configuration,
 * checked against it in every environment (the sandbox at the top level,
 * [env.integration], [env.production]): the Cron Trigger that runs the
 * audit archive, and the dead-letter queue whose final attempts go to R2.
 * Each is written once in the code; this test fails the day the
 * configuration moves away from it. (What the environments must share and
 * keep apart, and what provisioning makes of them, is checked in Node by
 * scripts/provision.test.ts, which reads the file through wrangler itself.)
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_CRON } from '../src/audit/archive-job.ts';
import { DEAD_LETTER_LAST_ATTEMPT, DEAD_LETTER_SUFFIX } from '../src/audit/consumer.ts';

/** Every environment of wrangler.toml; vitest.config.ts reads each one's facts into TEST_WRANGLER. */
const ENVIRONMENTS = ['sandbox', 'integration', 'production'] as const;
type Facts = NonNullable<Env['TEST_WRANGLER']>[keyof NonNullable<Env['TEST_WRANGLER']>];
const wrangler = env.TEST_WRANGLER as Partial<Record<(typeof ENVIRONMENTS)[number], Facts>> | undefined;

it('every environment’s facts reached the tests', () => {
  expect(Object.keys(wrangler ?? {}).sort()).toEqual([...ENVIRONMENTS].sort());
});

describe.each(ENVIRONMENTS)('wrangler.toml (%s) agrees with the code', (name) => {
  const facts = wrangler?.[name];

  it('[H-06] the audit archive and the daily age-out each have their Cron Trigger', () => {
    expect(facts?.crons).toContain(ARCHIVE_CRON);
    expect(facts?.crons.filter((cron) => cron !== ARCHIVE_CRON)).toHaveLength(1);
  });

  it('[H-06] the dead-letter queue is the audit queue’s, and its last attempt is one the consumer still gets', () => {
    const audit = facts?.consumers.find((c) => c.deadLetterQueue !== null);
    expect(audit?.deadLetterQueue).toBe(`${audit?.queue}${DEAD_LETTER_SUFFIX}`);
    const dlq = facts?.consumers.find((c) => c.queue === audit?.deadLetterQueue);
    // Attempts are numbered from 1; with max_retries = n the last delivery is attempt n + 1.
    expect(DEAD_LETTER_LAST_ATTEMPT).toBeLessThanOrEqual((dlq?.maxRetries ?? 0) + 1);
  });
});
