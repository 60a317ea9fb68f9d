/**
 * Checks of the service itself, whichever channels are chosen (D-22).
 *
 * @internal
 */
import { expectEqual, expectStatus, jsonOf } from '../runner/expect.ts';
import type { Check } from './check.ts';

/** Every service check. */
export const SERVICE_CHECKS: readonly Check[] = [
  {
    id: 'D-22-ping',
    clause: 'D-22',
    channel: 'service',
    title: 'GET /_ping needs no headers: 200 application/health+json with status pass',
    run: async (c) => {
      const answer = await c.server.send({ path: '/_ping' });
      expectStatus(answer, 200);
      expectEqual(answer.headers.get('Content-Type')?.split(';')[0], 'application/health+json', 'Content-Type');
      expectEqual(jsonOf(answer).status, 'pass', 'status');
    },
  },
];
