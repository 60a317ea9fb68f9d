import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { type FlagRecord, catalogue, parseRemoveBody } from '@fgm-is/rules';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../audit/event.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { FlagLocator } from '../ports/flag-locator.ts';
import type { FlagStore } from '../ports/flag-store.ts';
import { flagKey } from '../storage/keys.ts';
import { kvFlagStore } from '../storage/kv-flag-store.ts';
import { testAuditDraft } from '../test-support/audit-draft.ts';
import { expectConsistentStore } from '../test-support/consistency.ts';
import { memoryFlagLocator } from './local-flag-writer.ts';
import { type LedgerState, PatientLedger } from './patient-ledger.ts';

afterEach(() => reset());

const NOW = '2026-11-21T10:00:00.000Z';
const request = { nhsNumber: '9000000017', assessmentDate: '2024-01-01' };
const patient = { birthDate: '2012-03-15', gender: 'female' as const };
const extension = [
  {
    url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
    valueCoding: { system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason', code: '0' },
  },
];
const removeBody = (id: string) => ({ resourceType: 'Flag', id, status: 'inactive', extension });
const removeCommand = (id: string, requestId: string, ifMatch: string | null = null) => ({
  id,
  removal: parseRemoveBody(removeBody(id)),
  ifMatch,
  now: NOW,
  audit: testAuditDraft(requestId, { interaction: 'remove' }),
});
const addDraft = (requestId: string) => testAuditDraft(requestId, { interaction: 'add' });

/** The real KV store, with a switch that makes the projection's writes fail (the reads still work). */
function faultyStore(initially = true) {
  const real = kvFlagStore(env.FLAGS);
  let failing = initially;
  const guard =
    <A extends unknown[]>(write: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      if (failing) throw new DependencyUnavailableError('kv');
      return write(...args);
    };
  const store: FlagStore = { ...real, putFlag: guard(real.putFlag), putIndex: guard(real.putIndex), removeFromIndex: guard(real.removeFromIndex) };
  return { store, heal: () => void (failing = false), fail: () => void (failing = true) };
}

/** Ledger storage in memory; `committed` lists the audit records committed with changes, in order. */
function memoryStorage(initial?: unknown) {
  let state = initial as LedgerState | undefined;
  const committed: AuditEvent[] = [];
  return {
    get: async () => state,
    commit: async (next: LedgerState, record: AuditEvent) => {
      state = next;
      committed.push(record);
    },
    peek: () => state,
    committed,
  };
}

/** A locator that counts its writes. */
function countingLocator(): FlagLocator & { writes: string[] } {
  const inner = memoryFlagLocator();
  const writes: string[] = [];
  return {
    writes,
    record: (id, nhsNumber) => {
      writes.push(id);
      return inner.record(id, nhsNumber);
    },
    owner: (id) => inner.owner(id),
  };
}

describe('PatientLedger: commit, then project (ADR 0002)', () => {
  it('[H-05] [H-06] an Add commits the flag with its audit record, then projects it by id, in the index and in the locator', async () => {
    const storage = memoryStorage();
    const locator = countingLocator();
    const ledger = new PatientLedger('9000000017', storage, kvFlagStore(env.FLAGS), locator);
    const result = await ledger.add({ request, patient, id: 'f-1', now: NOW, audit: addDraft('a-f-1') });
    expect(result.ok).toBe(true);
    expect(storage.peek()?.active?.flag.id).toBe('f-1');
    expect(storage.committed).toEqual([
      { ...addDraft('a-f-1'), recordId: 'change:f-1:1', nhsNumber: '9000000017', flagId: 'f-1', status: 201, detailsCode: null },
    ]);
    expect((await kvFlagStore(env.FLAGS).getActive('9000000017'))?.flag.id).toBe('f-1');
    expect(await locator.owner('f-1')).toBe('9000000017');
    await expectConsistentStore();
    // A Remove records no new locator entry: the flag's patient never changes.
    expect((await ledger.remove(removeCommand('f-1', 'r-1'))).ok).toBe(true);
    expect(locator.writes).toEqual(['f-1']);
    await expectConsistentStore();
  });

  it('[H-01] [H-05] [H-06] an Add whose projection fails has happened: acknowledged, audited, projected once the store heals; a retry is A6', async () => {
    const { store, heal } = faultyStore();
    const storage = memoryStorage();
    const ledger = new PatientLedger('9000000017', storage, store, memoryFlagLocator());
    const added = await ledger.add({ request, patient, id: 'f-1', now: NOW, audit: addDraft('a-f-1') });
    expect(added.ok && added.value.flag.id).toBe('f-1');
    expect(ledger.projectionDeferred()).toBeInstanceOf(DependencyUnavailableError);
    expect(storage.peek()).toMatchObject({ active: { flag: { id: 'f-1' } }, unprojected: [{ flag: { id: 'f-1' } }], commits: 1 });
    expect(storage.committed.map((r) => r.recordId)).toEqual(['change:f-1:1']);
    expect(await kvFlagStore(env.FLAGS).getActive('9000000017')).toBeNull();
    // While the store still fails, nothing new is decided on the unprojected state: thrown, nothing committed.
    await expect(ledger.add({ request, patient, id: 'f-2', now: NOW, audit: addDraft('a-f-2') })).rejects.toBeInstanceOf(DependencyUnavailableError);
    heal();
    expect(await ledger.add({ request, patient, id: 'f-2', now: NOW, audit: addDraft('a-f-2') })).toEqual({ ok: false, error: catalogue.A6 });
    expect(ledger.projectionDeferred()).toBeUndefined();
    expect((await kvFlagStore(env.FLAGS).getActive('9000000017'))?.flag.id).toBe('f-1');
    expect(storage.committed.map((r) => r.recordId)).toEqual(['change:f-1:1']);
    await expectConsistentStore();
  });

  it('[H-01] [H-05] a Remove whose projection fails has happened: the next operation projects it, a retry is R1', async () => {
    const storage = memoryStorage();
    const { store, heal, fail } = faultyStore(false);
    const ledger = new PatientLedger('9000000017', storage, store, memoryFlagLocator());
    expect((await ledger.add({ request, patient, id: 'f-1', now: NOW, audit: addDraft('a-f-1') })).ok).toBe(true);
    fail();
    expect((await ledger.remove(removeCommand('f-1', 'r-1'))).ok).toBe(true);
    expect(storage.peek()?.active).toBeNull();
    expect((await kvFlagStore(env.FLAGS).getById('f-1'))?.flag.status).toBe('active');
    heal();
    await ledger.settle(new Date(NOW));
    expect((await kvFlagStore(env.FLAGS).getById('f-1'))?.flag.meta.versionId).toBe('2');
    expect(await kvFlagStore(env.FLAGS).getActive('9000000017')).toBeNull();
    expect(await ledger.remove(removeCommand('f-1', 'r-2'))).toEqual({ ok: false, error: catalogue.R1 });
    expect(storage.committed.map((r) => [r.requestId, r.interaction, r.flagId, r.status])).toEqual([
      ['a-f-1', 'add', 'f-1', 201],
      ['r-1', 'remove', 'f-1', 200],
    ]);
    await expectConsistentStore();
  });

  it('[H-05] a restarted ledger projects the last commit again (idempotent), once', async () => {
    const { store } = faultyStore();
    const storage = memoryStorage();
    const first = new PatientLedger('9000000017', storage, store, memoryFlagLocator());
    expect((await first.add({ request, patient, id: 'f-1', now: NOW, audit: addDraft('a') })).ok).toBe(true);
    expect(first.hasProjected(storage.peek() as LedgerState)).toBe(false);
    const locator = countingLocator();
    const restarted = new PatientLedger('9000000017', storage, kvFlagStore(env.FLAGS), locator);
    const state = await restarted.settle(new Date(NOW));
    expect(restarted.hasProjected(state)).toBe(true);
    await restarted.settle(new Date(NOW));
    expect(locator.writes).toEqual(['f-1']);
    expect((await kvFlagStore(env.FLAGS).getActive('9000000017'))?.flag.id).toBe('f-1');
    await expectConsistentStore();
  });

  it('[H-05] what one commit projected does not vouch for the next one', async () => {
    const storage = memoryStorage();
    const ledger = new PatientLedger('9000000017', storage, kvFlagStore(env.FLAGS), memoryFlagLocator());
    await ledger.add({ request, patient, id: 'f-1', now: NOW, audit: addDraft('a') });
    const projected = storage.peek() as LedgerState;
    expect(ledger.hasProjected(projected)).toBe(true);
    await ledger.remove(removeCommand('f-1', 'r'));
    expect(storage.peek()?.commits).toBe(projected.commits + 1);
    expect(ledger.hasProjected(projected)).toBe(false);
  });

  it('[H-05] a state left by the earlier protocol (an intent) is repaired: the uncommitted flag is discarded', async () => {
    await env.FLAGS.put(flagKey('orphan'), JSON.stringify({ nhsNumber: '9000000017' }));
    const storage = memoryStorage({ active: null, pending: ['orphan'] });
    const ledger = new PatientLedger('9000000017', storage, kvFlagStore(env.FLAGS), memoryFlagLocator());
    expect(await ledger.settle(new Date(NOW))).toEqual({ active: null, unprojected: [], commits: 0 });
    expect(await env.FLAGS.get(flagKey('orphan'))).toBeNull();
    expect((await ledger.add({ request, patient, id: 'f-1', now: NOW, audit: addDraft('a') })).ok).toBe(true);
    await expectConsistentStore();
  });

  it('[H-05] a rule refusal writes nothing and is returned, not thrown', async () => {
    const storage = memoryStorage();
    const ledger = new PatientLedger('9000000017', storage, kvFlagStore(env.FLAGS), memoryFlagLocator());
    const result = await ledger.add({ request, patient: { birthDate: '1990-01-01' }, id: 'f-1', now: NOW, audit: addDraft('a-f-1') });
    expect(result).toEqual({ ok: false, error: catalogue.A4 });
    expect(await env.FLAGS.list()).toMatchObject({ keys: [] });
    // A refusal changes nothing, so it commits nothing: the audit middleware records it from the response.
    expect(storage.committed).toEqual([]);
    expect(storage.peek()).toBeUndefined();
  });

  it('[H-05] bootstraps from the store (seeded data), then decides from its own state', async () => {
    const seeded: FlagRecord = (await new PatientLedger('9000000017', memoryStorage(), kvFlagStore(env.FLAGS), memoryFlagLocator()).add({
      request,
      patient,
      id: 'seed',
      now: NOW,
      audit: addDraft('a-seed'),
    })) as never;
    expect(seeded).toBeTruthy();
    const storage = memoryStorage();
    const ledger = new PatientLedger('9000000017', storage, kvFlagStore(env.FLAGS), memoryFlagLocator());
    expect(await ledger.add({ request, patient, id: 'f-2', now: NOW, audit: addDraft('a-f-2') })).toEqual({ ok: false, error: catalogue.A6 });
    expect((await ledger.remove(removeCommand('seed', 'r-seed'))).ok).toBe(true);
    expect(storage.peek()?.active).toBeNull();
  });

  it('[H-05] a ledger never changed uses the index as the caller read it (no read of its own); one with state ignores it', async () => {
    const real = kvFlagStore(env.FLAGS);
    let reads = 0;
    const counting: FlagStore = {
      ...real,
      getActive: (nhsNumber) => {
        reads++;
        return real.getActive(nhsNumber);
      },
    };
    const storage = memoryStorage();
    const ledger = new PatientLedger('9000000017', storage, counting, memoryFlagLocator());
    expect((await ledger.add({ request, patient, stored: null, id: 'f-1', now: NOW, audit: addDraft('a') })).ok).toBe(true);
    expect(reads).toBe(0);
    // Its own state now decides: a stale or wrong hint cannot undo the flag it holds.
    expect(await ledger.add({ request, patient, stored: null, id: 'f-2', now: NOW, audit: addDraft('b') })).toEqual({
      ok: false,
      error: catalogue.A6,
    });
    // Without a hint, a never-changed ledger reads the index itself.
    const other = new PatientLedger('9000000017', memoryStorage(), counting, memoryFlagLocator());
    expect(await other.add({ request, patient, id: 'f-3', now: NOW, audit: addDraft('c') })).toEqual({ ok: false, error: catalogue.A6 });
    expect(reads).toBe(1);
  });
});
