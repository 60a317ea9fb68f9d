/**
 * Who may do what (D-4, D-5): the calling system, then the user.
 */
import { type Interaction, authoriseAsid, authoriseUser } from '@fgm-is/rules';
import { createMiddleware } from 'hono/factory';
import type { EnvWith } from '../app-env.ts';
import type { UserVariables } from './authenticate.ts';
import type { HeadVariables } from './head-parameters.ts';
import { sendOutcome } from './respond.ts';

/**
 * An ASID not allowed the interaction → 403 S3/A9/R5; a user whose
 * activities do not grant it → 403 USER_NOT_AUTHORISED.
 */
export function authorise(interaction: Interaction) {
  return createMiddleware<EnvWith<HeadVariables & UserVariables>>(async function authorise(c, next) {
    const { policy } = c.get('services');
    const { fromAsid, toAsid } = c.get('head');
    const system = authoriseAsid(policy, fromAsid, toAsid, interaction);
    if (!system.ok) return sendOutcome(c, system.error);
    const user = authoriseUser(policy, c.get('user').activities, interaction);
    if (!user.ok) return sendOutcome(c, user.error);
    await next();
  });
}
