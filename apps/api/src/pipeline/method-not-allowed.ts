import { catalogue } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { sendOutcome } from './respond.ts';

/** A known path with a method it does not serve → 405 UNSUPPORTED_SERVICE with `Allow` (D-12). */
export function methodNotAllowed(allow: readonly string[]) {
  const header = [...allow, ...(allow.includes('GET') ? ['HEAD'] : [])].join(', ');
  return function methodNotAllowed(c: Context<AppEnv>) {
    return sendOutcome(c, catalogue.METHOD_NOT_ALLOWED, { Allow: header });
  };
}
