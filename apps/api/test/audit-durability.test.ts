/**
 * Audit that cannot be lost (D-15): a committed change carries its audit
 * record in the same atomic write (the ledger's outbox), which is shipped to
 * the audit queue and stored idempotently. Faults are injected at every hop.
 */
import {
  abortAllDurableObjects,
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kvFlagStore } from '../src/adapters/kv-flag-store/index.ts';
import worker from '../src/index.ts';
import type { FlagLedger } from '../src/ledger/flag-ledger.ts';
import type { AuditEvent } from '../src/ports/audit-sink.ts';
import { DependencyUnavailableError } from '../src/ports/errors.ts';
import type { FlagStore } from '../src/ports/flag-store.ts';
import { testAuditDraft } from '../src/test-support/audit-draft.ts';
import { auditOf } from './support/audit.ts';
import { SEARCH_PATH, add, addBody, fgmHeaders, remove, removeBody } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';
import { appWith } from './support/services.ts';

useSandbox();
// Audit rows arrive through the audit queue, which batches for up to 1 s (wrangler.toml): a test reading several waits for several.
vi.setConfig({ testTimeout: 15_000 });
afterEach(() => vi.restoreAllMocks());

/** How many rows the audit trail holds for each request id (0 for none yet). */
async function rowCounts(requestIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map(requestIds.map((id) => [id, 0]));
  for (let i = 0; i < requestIds.length; i += 50) {
    const slice = requestIds.slice(i, i + 50);
    const { results } = await env.AUDIT_DB.prepare(
      `SELECT request_id, COUNT(*) AS n FROM audit_events WHERE request_id IN (${slice.map(() => '?').join(',')}) GROUP BY request_id`,
    )
      .bind(...slice)
      .all<{ request_id: string; n: number }>();
    for (const row of results) counts.set(row.request_id, row.n);
  }
  return counts;
}

/** The outbox records a patient's ledger still holds. */
async function outboxOf(nhsNumber: string): Promise<AuditEvent[]> {
  return runInDurableObject(env.FLAG_LEDGER.getByName(nhsNumber), async (_instance, state) => [
    ...(await state.storage.list<AuditEvent>({ prefix: 'outbox:' })).values(),
  ]);
}

/** A queue binding that refuses everything, as an outage would. */
const downQueue = {
  send: () => Promise.reject(new Error('queue unavailable')),
  sendBatch: () => Promise.reject(new Error('queue unavailable')),
} as unknown as Queue;

describe('[H-06] a committed change keeps its audit record until the audit store has it', () => {
  it('[H-06] survives the queue being down and the ledger being killed, then ships once', async () => {
    const nhsNumber = '9000000017';
    // This instance of the patient's ledger sees the queue down.
    await runInDurableObject(env.FLAG_LEDGER.getByName(nhsNumber), (instance: FlagLedger) => {
      Object.assign(instance, { env: { ...env, AUDIT_QUEUE: downQueue } });
    });
    const created = await add(addBody(nhsNumber));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const requestId = created.headers.get('X-Request-ID') ?? '';
    // The change is committed with its record; the immediate alarm could not ship it, so it waits in the outbox.
    await vi.waitFor(async () => {
      expect(await runInDurableObject(env.FLAG_LEDGER.getByName(nhsNumber), (_i, state) => state.storage.getAlarm())).toBeGreaterThan(Date.now());
    });
    expect(await outboxOf(nhsNumber)).toEqual([expect.objectContaining({ requestId, interaction: 'add', flagId: id, status: 201, nhsNumber })]);
    // The object is killed (its memory, and the broken binding, gone); its storage and alarm remain.
    await abortAllDurableObjects();
    expect(await runDurableObjectAlarm(env.FLAG_LEDGER.getByName(nhsNumber))).toBe(true);
    expect(await auditOf(created)).toMatchObject({ request_id: requestId, interaction: 'add', flag_id: id, status: 201, nhs_number: nhsNumber });
    expect(await outboxOf(nhsNumber)).toEqual([]);
    expect(await rowCounts([requestId])).toEqual(new Map([[requestId, 1]]));
  });

  it('[H-06] a record delivered twice (a retried send, a redelivered batch) is stored once', async () => {
    const record = {
      ...testAuditDraft(crypto.randomUUID()),
      status: 201,
      detailsCode: null,
      flagId: 'f-1',
      nhsNumber: '9000000084',
    } satisfies AuditEvent;
    await env.AUDIT_QUEUE.send(record, { contentType: 'json' });
    await env.AUDIT_QUEUE.sendBatch([
      { body: record, contentType: 'json' },
      { body: record, contentType: 'json' },
    ]);
    await vi.waitFor(async () => expect(await rowCounts([record.requestId])).toEqual(new Map([[record.requestId, 1]])), { timeout: 5000 });
  });

  it('[H-06] the Worker’s queue handler retries a batch while D1 fails, and stores it once D1 is back', async () => {
    const record = {
      ...testAuditDraft(crypto.randomUUID()),
      status: 200,
      detailsCode: null,
      flagId: null,
      nhsNumber: '9000000084',
    } satisfies AuditEvent;
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const brokenDb = { prepare: () => ({ bind: () => ({}) }), batch: () => Promise.reject(new Error('D1 overloaded')) } as unknown as D1Database;
    const failing = createMessageBatch('fgm-is-audit', [{ id: 'm-1', timestamp: new Date(), attempts: 1, body: record }]);
    const ctx = createExecutionContext();
    await worker.queue(failing, { ...env, AUDIT_DB: brokenDb });
    expect(await getQueueResult(failing, ctx)).toMatchObject({ ackAll: false, retryBatch: { retry: true } });
    expect(await rowCounts([record.requestId])).toEqual(new Map([[record.requestId, 0]]));
    const retried = createMessageBatch('fgm-is-audit', [{ id: 'm-1', timestamp: new Date(), attempts: 2, body: record }]);
    const ctx2 = createExecutionContext();
    await worker.queue(retried, env);
    expect(await getQueueResult(retried, ctx2)).toMatchObject({ ackAll: true, retryBatch: { retry: false } });
    expect(await rowCounts([record.requestId])).toEqual(new Map([[record.requestId, 1]]));
  });

  it('[H-06] a write cut off before its commit is audited as failed and leaves no change', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const real = kvFlagStore(env.FLAGS);
    const flags: FlagStore = { ...real, create: () => Promise.reject(new DependencyUnavailableError('kv')) };
    const response = await appWith({ flags })('/Flag', { method: 'POST', headers: await fgmHeaders(), body: JSON.stringify(addBody('9449306753')) });
    expect(response.status).toBe(503);
    expect(await auditOf(response)).toMatchObject({ interaction: 'add', status: 503, details_code: 'SERVICE_UNAVAILABLE', flag_id: null });
    expect(await real.getActive('9449306753')).toBeNull();
  });
});

const PATIENTS = ['9000000017', '9000000084', '9449306753'] as const;

/** One step of a client's session: add for a patient, remove that patient's last known flag, or search. */
const step = fc.record({
  kind: fc.constantFrom('add', 'remove', 'search'),
  patient: fc.constantFrom(...PATIENTS),
  /** Whether the flag store fails this step's writes (before or after its first write). */
  fault: fc.constantFrom('none', 'none', 'before', 'after-first-write'),
});

/** The real KV store whose writes fail as `fault()` says, half-writing in the 'after-first-write' case. */
function faultyStore(fault: () => string): FlagStore {
  const real = kvFlagStore(env.FLAGS);
  const guard =
    <A extends unknown[]>(write: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      const now = fault();
      if (now === 'before') throw new DependencyUnavailableError('kv');
      await write(...args);
      if (now === 'after-first-write') throw new DependencyUnavailableError('kv');
    };
  return { ...real, create: guard(real.create), update: guard(real.update) };
}

describe('[H-05] [H-06] property: every request has exactly one audit row, and every change its row', () => {
  it('[H-05] [H-06] random sessions of adds, removes and searches with store faults', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const expected: { requestId: string; status: number; flagId: string | null; interaction: string }[] = [];
    // One writer for every run, as one Durable Object per patient outlives requests: its pending list is what repairs.
    let current = 'none';
    const request = appWith({ flags: faultyStore(() => current) });
    const known = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        for (const s of steps) {
          current = s.fault;
          const headers = await fgmHeaders();
          const id = known.get(s.patient) ?? '00000000-0000-4000-8000-000000000000';
          const response =
            s.kind === 'add'
              ? await request('/Flag', { method: 'POST', headers, body: JSON.stringify(addBody(s.patient)) })
              : s.kind === 'remove'
                ? await request(`/Flag/${id}`, { method: 'PUT', headers, body: JSON.stringify(removeBody(id)) })
                : await request(`${SEARCH_PATH}${s.patient}`, { headers });
          current = 'none';
          const body = (await response.json()) as { id?: string; resourceType: string };
          const flagId = s.kind !== 'search' && response.status < 300 ? (body.id ?? null) : null;
          if (s.kind === 'add' && flagId) known.set(s.patient, flagId);
          // A write whose store failed never reports success (it is 503, or refused before writing).
          if (s.kind !== 'search' && s.fault !== 'none') expect(response.status).toBeGreaterThanOrEqual(400);
          expected.push({
            requestId: response.headers.get('X-Request-ID') ?? '',
            status: response.status,
            flagId,
            interaction: s.kind,
          });
        }
      }),
      { numRuns: 60, seed: 20261122 },
    );
    const ids = expected.map((e) => e.requestId);
    await vi.waitFor(async () => expect([...(await rowCounts(ids)).values()].every((n) => n > 0)).toBe(true), { timeout: 10_000, interval: 100 });
    expect([...(await rowCounts(ids)).values()].every((n) => n === 1)).toBe(true);
    for (const e of expected.filter((x) => x.interaction !== 'search' && x.status < 300)) {
      const row = await env.AUDIT_DB.prepare('SELECT status, flag_id FROM audit_events WHERE request_id = ?1').bind(e.requestId).first();
      expect(row).toEqual({ status: e.status, flag_id: e.flagId });
    }
    expect(expected.filter((e) => e.interaction !== 'search' && e.status < 300).length).toBeGreaterThan(15);
  }, 30_000);
});
