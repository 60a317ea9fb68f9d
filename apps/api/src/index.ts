/**
 * The FGM-IS Worker: HTTP through the Hono app, the daily age-out job
 * (D-13) through the Cron Trigger, and the Durable Object classes.
 */
import { londonDate } from '@fgm-is/rules';
import { kvFlagStore } from './adapters/kv-flag-store/index.ts';
import { createApp } from './app.ts';
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
} satisfies ExportedHandler<Env>;
