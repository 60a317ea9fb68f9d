import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../ports/errors.ts';
import { testAuditEvent } from '../test-support/audit-draft.ts';
import { auditForDay, auditForPatient, d1AuditStore } from './d1-store.ts';
import type { AuditEvent } from './event.ts';

/** A search of 9000000009 recorded as `recordId` (also its request id). */
const event = (recordId: string, changes: Partial<AuditEvent> = {}): AuditEvent =>
  testAuditEvent(recordId, { interaction: 'search', traceId: 'trace-1', userSub: 'u-1', nhsNumber: '9000000009', ...changes });

describe('[H-06] D1 audit store (D-15)', () => {
  it('writes one row per event, which an auditor finds by patient and by day', async () => {
    const store = d1AuditStore(env.AUDIT_DB);
    await store.insert([event('r-1')]);
    await store.insert([
      event('r-2', { occurredAt: '2026-11-21T11:00:00.000Z', interaction: 'add', status: 400, detailsCode: 'VALIDATION_ERROR' }),
      event('r-3', { nhsNumber: '9000000017', day: '2026-11-22', occurredAt: '2026-11-22T00:30:00.000Z' }),
    ]);
    expect((await auditForPatient(env.AUDIT_DB, '9000000009')).map((row) => [row.request_id, row.interaction, row.status, row.details_code])).toEqual(
      [
        ['r-1', 'search', 200, null],
        ['r-2', 'add', 400, 'VALIDATION_ERROR'],
      ],
    );
    expect((await auditForDay(env.AUDIT_DB, '2026-11-22')).map((row) => row.request_id)).toEqual(['r-3']);
  });

  it('stores a redelivered record once, even when the redelivery differs (the first write wins)', async () => {
    const store = d1AuditStore(env.AUDIT_DB);
    await store.insert([event('r-4', { nhsNumber: '9000000025' })]);
    await store.insert([event('r-4', { nhsNumber: '9000000025', status: 503 }), event('r-5', { nhsNumber: '9000000025' })]);
    expect((await auditForPatient(env.AUDIT_DB, '9000000025')).map((row) => [row.request_id, row.status])).toEqual([
      ['r-4', 200],
      ['r-5', 200],
    ]);
  });

  it('writes a batch all or nothing', async () => {
    const store = d1AuditStore(env.AUDIT_DB);
    // The second record breaks a NOT NULL column: the first must not be stored either.
    const broken = { ...event('r-7', { nhsNumber: '9000000041' }), day: null } as unknown as AuditEvent;
    await expect(store.insert([event('r-6', { nhsNumber: '9000000041' }), broken])).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(await auditForPatient(env.AUDIT_DB, '9000000041')).toEqual([]);
  });

  it('does nothing for an empty batch', async () => {
    const prepare = () => {
      throw new Error('not expected');
    };
    await d1AuditStore({ prepare } as unknown as D1Database).insert([]);
  });

  it('turns a D1 failure into DependencyUnavailableError', async () => {
    const broken = {
      prepare: () => ({ bind: () => ({}) }),
      batch: () => Promise.reject(new Error('D1_ERROR: 9000000009')),
    } as unknown as D1Database;
    await expect(d1AuditStore(broken).insert([event('r-9')])).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('reads one flag’s history through an index (the operator’s `audit -- flag`), not a scan of the table', async () => {
    const plan = await env.AUDIT_DB.prepare('EXPLAIN QUERY PLAN SELECT * FROM audit_events WHERE flag_id = ?1 ORDER BY occurred_at, record_id')
      .bind('f-1')
      .all<{ detail: string }>();
    const details = plan.results.map((row) => row.detail).join(' | ');
    expect(details).toContain('USING INDEX audit_events_by_flag');
    expect(details).not.toMatch(/^SCAN audit_events$/m);
  });
});
