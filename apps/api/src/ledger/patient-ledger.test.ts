import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { type FlagRecord, catalogue, parseRemoveBody } from '@fgm-is/rules';
import { afterEach, describe, expect, it } from 'vitest';
import { kvFlagStore } from '../adapters/kv-flag-store/index.ts';
import { flagKey } from '../adapters/storage-keys.ts';
import type { AuditEvent } from '../ports/audit-sink.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { FlagStore } from '../ports/flag-store.ts';
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

/** The real KV store, with a switch that makes chosen operations fail after (or instead of) running. */
function faultyStore(fail: { create?: 'before' | 'after-first-write'; update?: 'before' | 'after-first-write' }) {
  const real = kvFlagStore(env.FLAGS);
  const switches = { ...fail };
  const store: FlagStore = {
    ...real,
    async create(record) {
      if (switches.create === 'before') throw new DependencyUnavailableError('kv');
      if (switches.create === 'after-first-write') {
        await env.FLAGS.put(flagKey(record.flag.id), JSON.stringify(record));
        throw new DependencyUnavailableError('kv');
      }
      return real.create(record);
    },
    async update(record) {
      if (switches.update === 'before') throw new DependencyUnavailableError('kv');
      if (switches.update === 'after-first-write') {
        await env.FLAGS.put(flagKey(record.flag.id), JSON.stringify(record));
        throw new DependencyUnavailableError('kv');
      }
      return real.update(record);
    },
  };
  return { store, heal: () => void Object.assign(switches, { create: undefined, update: undefined }) };
}

/** Ledger storage in memory; `committed` lists the audit records committed with changes, in order. */
function memoryStorage() {
  let state: LedgerState | undefined;
  const committed: AuditEvent[] = [];
  return {
    get: async () => state,
    put: async (next: LedgerState) => void (state = next),
    intend: async (next: LedgerState) => void (state = next),
    commit: async (next: LedgerState, record: AuditEvent) => {
      state = next;
      committed.push(record);
    },
    peek: () => state,
    committed,
  };
}

const addDraft = (requestId: string) => testAuditDraft(requestId, { interaction: 'add' });
const removeDraft = (requestId: string) => testAuditDraft(requestId, { interaction: 'remove' });

describe('PatientLedger under store faults', () => {
  it.each(['before', 'after-first-write'] as const)('[H-01] Add failing %s: 503, ledger unchanged, index agrees, retry succeeds', async (when) => {
    const { store, heal } = faultyStore({ create: when });
    const storage = memoryStorage();
    const ledger = new PatientLedger('9000000017', storage, store, memoryFlagLocator());
    await expect(ledger.add({ request, patient, id: 'f-1', now: NOW, audit: addDraft('a-f-1') })).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(storage.peek()).toEqual({ active: null, pending: ['f-1'] });
    expect(storage.committed).toEqual([]);
    expect(await kvFlagStore(env.FLAGS).getActive('9000000017')).toBeNull();
    heal();
    const retry = await ledger.add({ request, patient, id: 'f-2', now: NOW, audit: addDraft('a-f-2') });
    expect(retry.ok).toBe(true);
    expect(storage.peek()?.pending).toEqual([]);
    expect(storage.committed).toEqual([
      { ...addDraft('a-f-2'), recordId: 'change:f-2:1', nhsNumber: '9000000017', flagId: 'f-2', status: 201, detailsCode: null },
    ]);
    expect(await kvFlagStore(env.FLAGS).getById('f-1')).toBeNull();
    expect((await kvFlagStore(env.FLAGS).getActive('9000000017'))?.flag.id).toBe('f-2');
    await expectConsistentStore();
  });

  it.each(['before', 'after-first-write'] as const)(
    '[H-01] [H-05] Remove failing %s: 503, flag still active everywhere after repair, retry succeeds',
    async (when) => {
      const storage = memoryStorage();
      const healthy = new PatientLedger('9000000017', storage, kvFlagStore(env.FLAGS), memoryFlagLocator());
      expect((await healthy.add({ request, patient, id: 'f-1', now: NOW, audit: addDraft('a-f-1') })).ok).toBe(true);
      const { store, heal } = faultyStore({ update: when });
      const ledger = new PatientLedger('9000000017', storage, store, memoryFlagLocator());
      await expect(
        ledger.remove({ id: 'f-1', removal: parseRemoveBody(removeBody('f-1')), ifMatch: null, now: NOW, audit: removeDraft('r-1') }),
      ).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(storage.peek()?.active?.flag.status).toBe('active');
      heal();
      await ledger.reproject(new Date(NOW));
      expect((await kvFlagStore(env.FLAGS).getById('f-1'))?.flag.status).toBe('active');
      await expectConsistentStore();
      const retry = await ledger.remove({
        id: 'f-1',
        removal: parseRemoveBody(removeBody('f-1')),
        ifMatch: 'W/"1"',
        now: NOW,
        audit: removeDraft('r-2'),
      });
      expect(retry.ok && retry.value.flag.meta.versionId).toBe('2');
      expect(storage.committed.map((r) => [r.requestId, r.interaction, r.flagId, r.status])).toEqual([
        ['a-f-1', 'add', 'f-1', 201],
        ['r-2', 'remove', 'f-1', 200],
      ]);
      await expectConsistentStore();
    },
  );

  it('[H-05] a rule refusal writes nothing and is returned, not thrown', async () => {
    const storage = memoryStorage();
    const ledger = new PatientLedger('9000000017', storage, kvFlagStore(env.FLAGS), memoryFlagLocator());
    const result = await ledger.add({ request, patient: { birthDate: '1990-01-01' }, id: 'f-1', now: NOW, audit: addDraft('a-f-1') });
    expect(result).toEqual({ ok: false, error: catalogue.A4 });
    expect(await env.FLAGS.list()).toMatchObject({ keys: [] });
    // A refusal changes nothing, so it commits nothing: the audit middleware records it from the response.
    expect(storage.committed).toEqual([]);
  });

  it('[H-05] bootstraps from the store once (seeded data), then decides from its own state', async () => {
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
    expect(storage.peek()?.active?.flag.id).toBe('seed');
  });
});
