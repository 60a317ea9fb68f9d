import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { testAuditDraft } from '../test-support/audit-draft.ts';
import { consumeAuditBatch } from './consumer.ts';
import { completeAudit } from './draft.ts';
import type { AuditEvent, AuditStore } from './event.ts';

const record = (requestId: string): AuditEvent =>
  completeAudit(testAuditDraft(requestId), {
    recordId: `change:flag-${requestId}:1`,
    status: 201,
    detailsCode: null,
    flagId: `flag-${requestId}`,
    nhsNumber: '9000000017',
  });

const batchOf = (bodies: unknown[]) =>
  createMessageBatch(
    'fgm-is-audit',
    bodies.map((body, i) => ({ id: `m-${i}`, timestamp: new Date(0), attempts: 1, body })),
  );

/** A store that keeps what it is given, or fails every insert. */
function store(fail = false): AuditStore & { readonly inserted: AuditEvent[][] } {
  const inserted: AuditEvent[][] = [];
  return {
    inserted,
    async insert(events) {
      if (fail) throw new Error('D1 down');
      inserted.push([...events]);
    },
  };
}

describe('[H-06] audit queue consumer (D-15)', () => {
  it('stores a batch in one insert and acknowledges every message', async () => {
    const batch = batchOf([record('r-1'), record('r-2')]);
    const target = store();
    expect(await consumeAuditBatch(batch, target)).toEqual({ stored: 2, malformed: 0, retried: false, keptAside: 0 });
    expect(target.inserted).toEqual([[record('r-1'), record('r-2')]]);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result).toMatchObject({ ackAll: true, retryBatch: { retry: false }, explicitAcks: [], retryMessages: [] });
  });

  it('hands the whole batch back for retry when the store fails, acknowledging nothing', async () => {
    const batch = batchOf([record('r-1'), record('r-2')]);
    expect(await consumeAuditBatch(batch, store(true))).toEqual({ stored: 0, malformed: 0, retried: true, keptAside: 0 });
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result).toMatchObject({ ackAll: false, retryBatch: { retry: true }, explicitAcks: [] });
  });

  it('acknowledges (and counts) messages that are not audit records, storing the rest', async () => {
    const batch = batchOf([record('r-1'), { requestId: 'r-2' }, 'text', null, { ...record('r-3'), interaction: 'delete-all' }]);
    const target = store();
    expect(await consumeAuditBatch(batch, target)).toEqual({ stored: 1, malformed: 4, retried: false, keptAside: 0 });
    expect(target.inserted).toEqual([[record('r-1')]]);
  });

  it('keeps aside (and acknowledges) only the records on their last attempt when the store fails; the rest are retried', async () => {
    const batch = batchOf([record('r-1'), record('r-2')]);
    const kept: AuditEvent[][] = [];
    const last = {
      isLast: (message: Message<unknown>) => (message.body as AuditEvent).requestId === 'r-1',
      resort: { keep: async (events: readonly AuditEvent[]) => void kept.push([...events]) },
    };
    expect(await consumeAuditBatch(batch, store(true), last)).toEqual({ stored: 0, malformed: 0, retried: true, keptAside: 1 });
    expect(kept).toEqual([[record('r-1')]]);
    expect(await getQueueResult(batch, createExecutionContext())).toMatchObject({
      ackAll: false,
      explicitAcks: ['m-0'],
      retryMessages: [{ msgId: 'm-1' }],
    });
  });

  it('retries the whole batch when the last resort fails too', async () => {
    const batch = batchOf([record('r-1')]);
    const last = { isLast: () => true, resort: { keep: () => Promise.reject(new Error('R2 down')) } };
    expect(await consumeAuditBatch(batch, store(true), last)).toEqual({ stored: 0, malformed: 0, retried: true, keptAside: 0 });
    expect(await getQueueResult(batch, createExecutionContext())).toMatchObject({ retryBatch: { retry: true }, explicitAcks: [] });
  });
});
