import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../ports/errors.ts';
import { testAuditEvent } from '../test-support/audit-draft.ts';
import type { AuditEvent, AuditStore } from './event.ts';
import { queueAuditSink } from './queue-sink.ts';

const event: AuditEvent = testAuditEvent('r-1');

function fakeQueue(fail: boolean) {
  const sent: unknown[] = [];
  const queue = {
    async send(body: unknown, options: unknown) {
      if (fail) throw new Error('queue down');
      sent.push([body, options]);
    },
  } as unknown as Queue;
  return { queue, sent };
}

function fakeStore(fail: boolean): AuditStore & { readonly inserted: AuditEvent[] } {
  const inserted: AuditEvent[] = [];
  return {
    inserted,
    async insert(events) {
      if (fail) throw new DependencyUnavailableError('d1');
      inserted.push(...events);
    },
  };
}

describe('[H-06] queue audit sink (D-15)', () => {
  it('sends the record to the queue as JSON, and nothing to the store', async () => {
    const { queue, sent } = fakeQueue(false);
    const store = fakeStore(false);
    await queueAuditSink(queue, store).record(event);
    expect(sent).toEqual([[event, { contentType: 'json' }]]);
    expect(store.inserted).toEqual([]);
  });

  it('writes straight to the store when the queue refuses the record', async () => {
    const store = fakeStore(false);
    await queueAuditSink(fakeQueue(true).queue, store).record(event);
    expect(store.inserted).toEqual([event]);
  });

  it('throws only when both fail, as an unavailable dependency', async () => {
    await expect(queueAuditSink(fakeQueue(true).queue, fakeStore(true)).record(event)).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
