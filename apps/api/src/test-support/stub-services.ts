/**
 * Services for middleware tests beside the code: stores that fail the test
 * if touched, a sandbox-like policy and predictable ids.
 *
 * @internal Test support only.
 */
import { parseAccessPolicy } from '@fgm-is/rules';
import type { Services } from '../compose.ts';

const policy = parseAccessPolicy({
  serviceAsid: '200000000000',
  asids: { '200000000001': ['search', 'add', 'remove'] },
  activities: { B0999: ['search', 'add', 'remove'] },
});

/** Services whose stores must not be touched, with predictable ids; override what a test uses. */
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
      putFlag: untouched,
      putIndex: untouched,
      discard: untouched,
      listIndex: untouched,
      removeFromIndex: untouched,
    },
    writer: { add: untouched, remove: untouched, removeActive: untouched },
    patients: { lookup: untouched },
    tokens: { verify: untouched },
    policy: policy.value,
    audit: { record: async () => {} },
    publicBaseUrl: undefined,
    corsOrigins: [],
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    health: [],
    legacy: { enabled: false },
    docs: { docsPage: false, sandboxSigning: undefined },
    ...overrides,
  };
}

/** A fixed clock for `createApp({ clock })` and `requestContext({ clock })`. */
export const at = (iso: string) => () => new Date(iso);

/** Predictable request ids for `requestContext({ newId })`. */
export function sequentialIds(prefix = '00000000-0000-4000-9000-'): () => string {
  let n = 0;
  return () => `${prefix}${String(++n).padStart(12, '0')}`;
}
