import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { buildActiveFlag } from '@fgm-is/rules';
import { describe, expect, it } from 'vitest';
import { activeKey, flagKey } from '../src/adapters/storage-keys.ts';
import type { LedgerState } from '../src/ledger/patient-ledger.ts';
import { testAuditDraft } from '../src/test-support/audit-draft.ts';
import { expectConsistentStore } from '../src/test-support/consistency.ts';
import { useSandbox } from './support/sandbox.ts';

useSandbox();

describe('FlagLedger Durable Object', () => {
  it('[H-01] [H-05] its alarm repairs a projection a failed write left half-done', async () => {
    const stub = env.FLAG_LEDGER.getByName('9000000017');
    const orphan = {
      nhsNumber: '9000000017',
      agesOutOn: '2030-03-15',
      flag: buildActiveFlag({ id: 'orphan', nhsNumber: '9000000017', assessmentDate: '2024-01-01', lastUpdated: '2026-11-21T00:00:00.000Z' }),
    };
    await env.FLAGS.put(flagKey('orphan'), JSON.stringify(orphan));
    await env.FLAGS.put(activeKey('9000000017'), JSON.stringify(orphan), { metadata: { flagId: 'orphan', agesOutOn: '2030-03-15' } });
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.put<LedgerState>('state', { active: null, pending: ['orphan'] });
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await env.FLAGS.get(flagKey('orphan'))).toBeNull();
    expect(await env.FLAGS.get(activeKey('9000000017'))).toBeNull();
    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.get('state')).toEqual({ active: null, pending: [] });
    });
    await expectConsistentStore();
  });

  it('refuses, as a value, to work without an NHS number as its name', async () => {
    const stub = env.FLAG_LEDGER.get(env.FLAG_LEDGER.newUniqueId());
    const outcome = await stub.add({
      request: { nhsNumber: '9000000017', assessmentDate: '2024-01-01' },
      patient: null,
      id: 'x',
      now: new Date().toISOString(),
      audit: testAuditDraft('r-x'),
    });
    expect(outcome).toEqual({ ok: false, unavailable: 'ledger' });
  });
});
