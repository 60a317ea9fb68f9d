import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { WritePathTrouble } from '../ports/write-path-health.ts';
import { durableWritePathHealth } from './write-path-monitor.ts';

const trouble = (at: string): WritePathTrouble => ({ kind: 'outbox', dependency: 'd1', oldestOutboxAt: at, at });

describe('the write-path monitor', () => {
  it('[H-07] keeps one report per ledger and kind, the latest, until the ledger is cleared', async () => {
    const health = durableWritePathHealth(env.WRITE_PATH_MONITOR, () => new Date('2026-12-07T10:05:00.000Z'));
    const refused: WritePathTrouble = { kind: 'refused', dependency: 'kv', oldestOutboxAt: null, at: '2026-12-07T10:02:00.000Z' };
    await health.report('ledger-a', trouble('2026-12-07T10:00:00.000Z'));
    await health.report('ledger-a', trouble('2026-12-07T10:01:00.000Z'));
    await health.report('ledger-a', refused);
    await health.report('ledger-b', refused);
    expect(await health.list()).toEqual([
      { ...trouble('2026-12-07T10:01:00.000Z'), ledger: 'ledger-a' },
      { ...refused, ledger: 'ledger-a' },
      { ...refused, ledger: 'ledger-b' },
    ]);
    await health.clear('ledger-a');
    expect(await health.list()).toEqual([{ ...refused, ledger: 'ledger-b' }]);
    await health.clear('ledger-b');
    expect(await health.list()).toEqual([]);
  });

  it('[H-07] a report not renewed lapses after 15 minutes', async () => {
    const at = '2026-12-07T10:00:00.000Z';
    await durableWritePathHealth(env.WRITE_PATH_MONITOR).report('ledger-c', trouble(at));
    const listAt = (now: string) => durableWritePathHealth(env.WRITE_PATH_MONITOR, () => new Date(now)).list();
    expect(await listAt('2026-12-07T10:14:59.000Z')).toEqual([{ ...trouble(at), ledger: 'ledger-c' }]);
    expect(await listAt('2026-12-07T10:15:01.000Z')).toEqual([]);
    expect(await listAt('2026-12-07T10:00:00.000Z')).toEqual([]);
  });
});
