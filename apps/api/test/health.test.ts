/**
 * Health endpoints (D-22): `/_ping` with no dependency call and no headers;
 * `/_status` with each dependency checked under a short timeout.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { OUTBOX_AGE_FAIL_SECONDS, writePathProbes } from '../src/health/probes.ts';
import { PROBE_TIMEOUT_MS } from '../src/health/routes.ts';
import type { HealthProbe } from '../src/ports/health.ts';
import type { WritePathHealth, WritePathReport } from '../src/ports/write-path-health.ts';
import { add, addBody, call, search } from './support/http.ts';
import { ledgerWithKvWritesDown } from './support/ledger-faults.ts';
import { useSandbox } from './support/sandbox.ts';
import { appWith } from './support/services.ts';

useSandbox();
afterEach(() => vi.restoreAllMocks());

const probe = (name: string, behaviour: () => Promise<void>): HealthProbe => ({ name, probe: behaviour });

describe('GET /_ping (D-22)', () => {
  it('[D-22] [H-07] 200 application/health+json {status: pass, version}, with no headers and no dependency', async () => {
    const app = appWith({ flags: undefined as never, health: [probe('x', () => Promise.reject(new Error('must not be called')))] });
    const response = await app('/_ping');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/health+json');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'pass', version: packageJson.version });
  });

  it('[D-22] is not audited as an FGM interaction', async () => {
    const response = await call('/_ping');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const row = await env.AUDIT_DB.prepare('SELECT * FROM audit_events WHERE request_id = ?1').bind(response.headers.get('X-Request-ID')).first();
    expect(row).toBeNull();
  });

  it('[D-22] other methods → 405 with Allow', async () => {
    const response = await call('/_ping', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD');
  });
});

describe('GET /_status (D-22)', () => {
  it('[D-22] [H-07] checks KV, the Durable Object namespace and the audit store, and passes when all answer', async () => {
    const response = await call('/_status');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/health+json');
    const body = (await response.json()) as { status: string; checks: Record<string, { status: string }[]> };
    expect(body.status).toBe('pass');
    expect(Object.keys(body.checks)).toEqual([
      'kv:flags',
      'durable-object:ledger',
      'd1:audit',
      'ledger:write-path',
      'ledger:audit-outbox',
      'd1:audit-size',
      'job:age-out',
      'job:audit-archive',
    ]);
    for (const name of ['kv:flags', 'durable-object:ledger', 'd1:audit']) {
      expect(body.checks[name]).toEqual([expect.objectContaining({ status: 'pass', observedUnit: 'ms' })]);
    }
    expect(body.checks['ledger:write-path']).toEqual([{ status: 'pass', observedValue: 0, observedUnit: 'ledgers' }]);
    expect(body.checks['ledger:audit-outbox']).toEqual([{ status: 'pass', observedValue: 0, observedUnit: 's' }]);
    expect(body.checks['d1:audit-size']).toEqual([{ status: 'pass', observedValue: expect.any(Number), observedUnit: 'bytes' }]);
    expect(body.checks['job:age-out']).toEqual([{ status: 'pass', observedValue: 0, observedUnit: 's', output: 'not-yet-run' }]);
  });

  it('[D-22] [H-07] 503 fail when one dependency fails or hangs, naming which, with no internal message', async () => {
    const app = appWith({
      health: [
        probe('kv:flags', async () => {}),
        probe('durable-object:ledger', () => Promise.reject(new Error('internal detail about 9000000009'))),
        probe('d1:audit', () => new Promise(() => {})),
      ],
    });
    const started = Date.now();
    const response = await app('/_status');
    expect(Date.now() - started).toBeLessThan(PROBE_TIMEOUT_MS + 1000);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).not.toContain('9000000009');
    expect(text).not.toContain('internal detail');
    expect(JSON.parse(text)).toMatchObject({
      status: 'fail',
      checks: {
        'kv:flags': [{ status: 'pass' }],
        'durable-object:ledger': [{ status: 'fail', output: 'unavailable' }],
        'd1:audit': [{ status: 'fail', output: 'timeout' }],
      },
    });
  });
});

/** Reports held in memory. */
function memoryHealth(troubles: readonly Omit<WritePathReport, 'ledger'>[]): WritePathHealth {
  return { report: async () => {}, clear: async () => {}, list: async () => troubles.map((t, i) => ({ ...t, ledger: `ledger-${i}` })) };
}

describe('GET /_status: the write path (issue 16)', () => {
  const at = '2026-12-07T10:00:00.000Z';
  const now = () => Date.parse(at);

  it('[H-07] counts ledgers, not reports, and shows a refusal beside a later projection trouble of the same ledger', async () => {
    const reports: WritePathReport[] = [
      { ledger: 'a', kind: 'refused', dependency: 'kv', oldestOutboxAt: null, at },
      { ledger: 'a', kind: 'projection', dependency: 'kv', oldestOutboxAt: null, at },
    ];
    const [path] = writePathProbes({ report: async () => {}, clear: async () => {}, list: async () => reports }, now);
    expect(await path.observe()).toEqual({ status: 'fail', observedValue: 1, observedUnit: 'ledgers', output: 'refused,projection' });
  });

  it.each([
    ['nothing reported', [], 'pass', 0, 'pass', 0],
    ['a projection behind (the change stands)', [{ kind: 'projection', dependency: 'kv', oldestOutboxAt: null, at }], 'warn', 1, 'pass', 0],
    ['a ledger refusing writes', [{ kind: 'refused', dependency: 'kv', oldestOutboxAt: null, at }], 'fail', 1, 'pass', 0],
    ['audit waiting a minute', [{ kind: 'outbox', dependency: 'd1', oldestOutboxAt: '2026-12-07T09:59:00.000Z', at }], 'fail', 1, 'warn', 60],
    [
      'audit waiting past the limit',
      [{ kind: 'outbox', dependency: 'd1', oldestOutboxAt: new Date(now() - OUTBOX_AGE_FAIL_SECONDS * 1000).toISOString(), at }],
      'fail',
      1,
      'fail',
      OUTBOX_AGE_FAIL_SECONDS,
    ],
  ] as const)('[H-06] [H-07] %s', async (_name, troubles, pathStatus, ledgers, outboxStatus, age) => {
    const [path, outbox] = writePathProbes(memoryHealth(troubles), now);
    expect(await path.observe()).toMatchObject({
      status: pathStatus,
      observedValue: ledgers,
      observedUnit: 'ledgers',
    });
    expect(await outbox.observe()).toMatchObject({ status: outboxStatus, observedValue: age, observedUnit: 's' });
  });

  it('[H-05] [H-07] a ledger whose projection is behind warns, one that refuses writes fails (no patient data); both clear once it recovers', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const nhsNumber = '9000000017';
    // KV takes no writes: the Add commits, but cannot be projected.
    const { heal } = await ledgerWithKvWritesDown(nhsNumber);
    expect((await add(addBody(nhsNumber))).status).toBe(201);
    // Reports reach the monitor just after the answer (the ledger does not make the client wait for them):
    // polled for up to 10 s, as the machine may be busy.
    const SETTLED = { timeout: 10_000, interval: 100 };
    const checkOf = async () => {
      const response = await call('/_status');
      const body = (await response.json()) as { status: string; checks: Record<string, unknown> };
      return { http: response.status, status: body.status, path: body.checks['ledger:write-path'], text: JSON.stringify(body) };
    };
    await vi.waitFor(
      async () =>
        expect(await checkOf()).toMatchObject({
          http: 200,
          status: 'pass',
          path: [{ status: 'warn', observedValue: 1, observedUnit: 'ledgers', output: 'projection' }],
        }),
      SETTLED,
    );
    // Nothing new is decided on a change not yet projected: the next write is refused.
    expect((await add(addBody(nhsNumber))).status).toBe(503);
    await vi.waitFor(
      async () =>
        expect(await checkOf()).toMatchObject({
          http: 503,
          status: 'fail',
          path: [{ status: 'fail', observedValue: 1, observedUnit: 'ledgers', output: 'refused,projection' }],
        }),
      SETTLED,
    );
    expect((await checkOf()).text).not.toContain(nhsNumber);
    // The runbook's log signals of the same (docs/runbook.md): the deferred projection, then the refusal; neither names the patient.
    const events = [...warnings.mock.calls, ...errors.mock.calls].map(([line]) => (JSON.parse(String(line)) as { event: string }).event);
    expect(events).toEqual(expect.arrayContaining(['ledger_projection_deferred', 'ledger_refused']));
    expect(JSON.stringify([...warnings.mock.calls, ...errors.mock.calls])).not.toContain(nhsNumber);
    // Its retry alarm (2 s) fails too, and reports the projection again: the refusal is not hidden by it.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await checkOf()).http).toBe(503);
    // KV heals; the alarm finishes the projection, stores the record and clears the report.
    heal();
    await vi.waitFor(async () => expect((await call('/_status')).status).toBe(200), { timeout: 15_000, interval: 250 });
    expect((await search(nhsNumber).then((r) => r.json())) as { total: number }).toMatchObject({ total: 1 });
    expect((await add(addBody(nhsNumber))).status).toBe(400);
  }, 30_000);
});
