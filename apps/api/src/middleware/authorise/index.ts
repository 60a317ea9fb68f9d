import { authoriseAsid, authoriseUser } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import { sendOutcome } from '../../http/respond.ts';

/**
 * Authorises the calling system, then the user (D-4, D-5): an ASID not
 * allowed the interaction → 403 S3/A9/R5; a user whose activities do not
 * grant it → 403 USER_NOT_AUTHORISED.
 */
export function authorise() {
  return createMiddleware<AppEnv>(async function authorise(c, next) {
    const { policy } = c.get('services');
    const interaction = c.get('interaction');
    const { fromAsid, toAsid } = c.get('head');
    const system = authoriseAsid(policy, fromAsid, toAsid, interaction);
    if (!system.ok) return sendOutcome(c, system.error);
    const user = authoriseUser(policy, c.get('user').activities, interaction);
    if (!user.ok) return sendOutcome(c, user.error);
    await next();
  });
}
