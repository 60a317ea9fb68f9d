/**
 * Every check of the kit, in the order a run makes them.
 *
 * @internal
 */
import type { Check } from './check.ts';
import { LEGACY_CHECKS, clearByMessage } from './legacy.ts';
import { R4_CHECKS } from './r4.ts';
import { SERVICE_CHECKS } from './service.ts';

/** The patients the checks add flags for (never 9000000009, whose seeded flag is only ever read). */
const PATIENTS_USED = ['9000000017', '9000000041', '9000000084', '9000000092', '9449306753'];

/** The last check: the sandbox is left as the kit found it, so the README's examples and other clients still work. */
const TIDY: Check = {
  id: 'tidy-up',
  clause: '§15',
  channel: 'service',
  title: 'leaves no flag on the patients it used, and the seeded flag of 9000000009 in place',
  run: async (c) => {
    for (const nhsNumber of PATIENTS_USED) await clearByMessage(c, nhsNumber);
  },
};

/** Every check: service, R4, legacy, then the tidy-up. */
export const CHECKS: readonly Check[] = [...SERVICE_CHECKS, ...R4_CHECKS, ...LEGACY_CHECKS, TIDY];
