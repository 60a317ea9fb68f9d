import { parseAccessPolicy } from '@fgm-is/rules';
import type { Services } from '../../src/services.ts';

const policy = parseAccessPolicy({
  serviceAsid: '200000000000',
  asids: { '200000000001': ['search', 'add', 'remove'] },
  activities: { B0999: ['search', 'add', 'remove'] },
});

/** Services for middleware unit tests: a fixed clock and ids, and stores that must not be touched. */
export function stubServices(overrides: Partial<Services> = {}): Services {
  if (!policy.ok) throw new Error('stub policy');
  const untouched = async () => {
    throw new Error('not expected in this test');
  };
  let n = 0;
  return {
    flags: {
      getById: untouched,
      getActive: untouched,
      create: untouched,
      update: untouched,
      discard: untouched,
      listIndex: untouched,
      removeFromIndex: untouched,
    },
    writer: { add: untouched, remove: untouched },
    patients: { lookup: untouched },
    tokens: { verify: untouched },
    policy: policy.value,
    audit: { record: async () => {} },
    publicBaseUrl: undefined,
    corsOrigins: [],
    clock: () => new Date('2026-11-21T10:00:00.000Z'),
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    ...overrides,
  };
}
