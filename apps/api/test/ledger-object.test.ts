import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { buildActiveFlag } from '@fgm-is/rules';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlagLedger } from '../src/register/flag-ledger.ts';
import { activeKey, flagKey } from '../src/storage/keys.ts';
import { testAuditDraft } from '../src/test-support/audit-draft.ts';
import { expectConsistentStore } from '../src/test-support/consistency.ts';
import { ledgerWithKvWritesDown } from './support/ledger-faults.ts';
import { useSandbox } from './support/sandbox.ts';

useSandbox();
afterEach(() => vi.restoreAllMocks());

const addCommand = (nhsNumber: string, id: string) => ({
  request: { nhsNumber, assessmentDate: '2024-01-01' },
  patient: { birthDate: '2015-01-01', gender: 'female' as const },
  id,
  now: new Date().toISOString(),
  audit: testAuditDraft(`r-${id}`),
});

describe('FlagLedger Durable Object', () => {
  it('[H-01] [H-05] its alarm repairs what the earlier protocol left half-done, and stores the state anew', async () => {
    const stub = env.FLAG_LEDGER.getByName('9000000017');
    const orphan = {
      nhsNumber: '9000000017',
      agesOutOn: '2030-03-15',
      flag: buildActiveFlag({ id: 'orphan', nhsNumber: '9000000017', assessmentDate: '2024-01-01', lastUpdated: '2026-11-21T00:00:00.000Z' }),
    };
    await env.FLAGS.put(flagKey('orphan'), JSON.stringify(orphan));
    await env.FLAGS.put(activeKey('9000000017'), JSON.stringify(orphan), { metadata: { flagId: 'orphan', agesOutOn: '2030-03-15' } });
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.put({ state: { active: null, pending: ['orphan'] }, nhsNumber: '9000000017' });
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await env.FLAGS.get(flagKey('orphan'))).toBeNull();
    expect(await env.FLAGS.get(activeKey('9000000017'))).toBeNull();
    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.get('state')).toEqual({ active: null, unprojected: [], commits: 0 });
    });
    await expectConsistentStore();
  });

  it('[H-05] refuses, as a value, a call for a patient it is not named after', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const unique = env.FLAG_LEDGER.get(env.FLAG_LEDGER.newUniqueId());
    expect(await unique.add(addCommand('9000000017', 'x'))).toEqual({ ok: false, unavailable: 'ledger' });
    const other = env.FLAG_LEDGER.getByName('9000000084');
    expect(await other.add(addCommand('9000000017', 'y'))).toEqual({ ok: false, unavailable: 'ledger' });
    expect(await env.FLAGS.get(flagKey('x'))).toBeNull();
    expect(await env.FLAGS.get(flagKey('y'))).toBeNull();
  });

  it('[H-05] [H-07] an object woken by its alarm, without its name, goes on serving its patient (no lock-out after a crash)', async () => {
    const nhsNumber = '9000000084';
    const first = await env.FLAG_LEDGER.getByName(nhsNumber).add(addCommand(nhsNumber, 'before-crash'));
    expect(first.ok).toBe(true);
    // Its record stored (the relay after the answer has run), so the kill below cuts nothing off.
    await vi.waitFor(
      async () => expect(await env.AUDIT_DB.prepare("SELECT 1 FROM audit_events WHERE record_id = 'change:before-crash:1'").first()).not.toBeNull(),
      { timeout: 10_000, interval: 100 },
    );
    const named = env.FLAG_LEDGER.idFromName(nhsNumber);
    await runInDurableObject(env.FLAG_LEDGER.get(named), (_instance, state) => state.storage.setAlarm(Date.now() + 60_000));
    // The process dies; the alarm creates the next instance, through an id that carries no name.
    await abortAllDurableObjects();
    const unnamed = env.FLAG_LEDGER.get(env.FLAG_LEDGER.idFromString(named.toString()));
    await runInDurableObject(unnamed, (instance: FlagLedger) =>
      expect((instance as unknown as { ctx: DurableObjectState }).ctx.id.name).toBeUndefined(),
    );
    expect(await runDurableObjectAlarm(unnamed)).toBe(true);
    // That same instance now serves calls made by name: a Remove and a new Add for the patient both go through.
    const removed = await env.FLAG_LEDGER.getByName(nhsNumber).removeActive({
      nhsNumber,
      reason: '0',
      now: new Date().toISOString(),
      audit: testAuditDraft('r-remove', { channel: 'messaging', interaction: 'delete' }),
    });
    expect(removed.ok).toBe(true);
    expect((await env.FLAG_LEDGER.getByName(nhsNumber).add(addCommand(nhsNumber, 'after-crash'))).ok).toBe(true);
    expect((await env.FLAGS.get<{ flag: { id: string } }>(activeKey(nhsNumber), 'json'))?.flag.id).toBe('after-crash');
    await expectConsistentStore();
  });

  it('[H-01] [H-05] a projection the relay could not finish keeps its alarm, which finishes it once KV is back', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const nhsNumber = '9000000017';
    // KV takes no writes: the Add commits, but cannot be projected.
    const { stub, heal } = await ledgerWithKvWritesDown(nhsNumber);
    expect((await stub.add(addCommand(nhsNumber, 'behind'))).ok).toBe(true);
    // The relay stores the record (D1 is up) but cannot finish the projection: once its last write has deleted the
    // stored record from the outbox, the alarm must still be there.
    await vi.waitFor(
      async () => expect(await runInDurableObject(stub, async (_instance, state) => (await state.storage.list({ prefix: 'outbox:' })).size)).toBe(0),
      { timeout: 10_000, interval: 100 },
    );
    expect(await env.AUDIT_DB.prepare("SELECT 1 FROM audit_events WHERE record_id = 'change:behind:1'").first()).not.toBeNull();
    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.getAlarm()).not.toBeNull();
      expect(await state.storage.get('state')).toMatchObject({ unprojected: [{ flag: { id: 'behind' } }] });
    });
    expect(await env.FLAGS.get(activeKey(nhsNumber))).toBeNull();
    heal();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await env.FLAGS.get<{ flag: { id: string } }>(activeKey(nhsNumber), 'json'))?.flag.id).toBe('behind');
    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.get('state')).toMatchObject({ unprojected: [] });
      expect(await state.storage.getAlarm()).toBeNull();
    });
    await expectConsistentStore();
  });
});
