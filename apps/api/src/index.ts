/**
 * The FGM-IS FHIR R4 API Worker: HTTP through the Hono app, and the daily
 * age-out job (D-13) through the Cron Trigger.
 */
import { londonDate } from '@fgm-is/rules';
import { createApp } from './app.ts';
import { ageOut } from './scheduled/age-out.ts';
import { servicesFromEnv } from './services.ts';

export { FlagLedger } from './ledger/flag-ledger.ts';

const app = createApp();

export default {
  fetch: app.fetch,

  /** Age-out (D-13); awaited, so a failed run shows as a failed Cron Trigger invocation. */
  async scheduled(controller, env) {
    const { flags } = servicesFromEnv(env);
    const report = await ageOut(flags, londonDate(new Date(controller.scheduledTime)));
    console.info(JSON.stringify({ level: 'info', event: 'age_out', ...report }));
  },
} satisfies ExportedHandler<Env>;
