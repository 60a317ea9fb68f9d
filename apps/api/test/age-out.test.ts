import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { buildActiveFlag } from '@fgm-is/rules';
import { describe, expect, it, vi } from 'vitest';
import worker from '../src/index.ts';
import { ageOut } from '../src/jobs/age-out.ts';
import { activeKey } from '../src/storage/keys.ts';
import { kvFlagStore } from '../src/storage/kv-flag-store.ts';
import { SEEDED_FLAG_ID, read } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';

useSandbox();

const record = (id: string, nhsNumber: string, agesOutOn: string) => ({
  nhsNumber,
  agesOutOn,
  flag: buildActiveFlag({ id, nhsNumber, assessmentDate: '2019-01-01', lastUpdated: '2020-01-01T00:00:00.000Z' }),
});

describe('[H-03] age-out (D-13)', () => {
  it('[H-01] removes exactly the flags whose patients are 18 on the London date from the index; they stay readable', async () => {
    const flags = kvFlagStore(env.FLAGS);
    await flags.create(record('f-yesterday', '9000000017', '2026-11-20'));
    await flags.create(record('f-today', '9000000084', '2026-11-21'));
    await flags.create(record('f-tomorrow', '9449306753', '2026-11-22'));
    const report = await ageOut(flags, '2026-11-21');
    expect(report).toEqual({ scanned: 4, removed: 2 });
    expect(await flags.getActive('9000000017')).toBeNull();
    expect(await flags.getActive('9000000084')).toBeNull();
    expect((await flags.getActive('9449306753'))?.flag.id).toBe('f-tomorrow');
    expect((await flags.getActive('9000000009'))?.flag.id).toBe(SEEDED_FLAG_ID);
    expect((await flags.getById('f-today'))?.flag.status).toBe('active');
  });

  it('pages through a large index', async () => {
    const flags = kvFlagStore(env.FLAGS);
    // 1,100 entries, more than one KV list page (1,000), written 100 at a time.
    for (let from = 0; from < 1100; from += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => from + j).map((i) =>
          env.FLAGS.put(activeKey(`8${String(i).padStart(9, '0')}`), '{}', {
            metadata: { flagId: `f${i}`, agesOutOn: i % 2 ? '2000-01-01' : '2099-01-01' },
          }),
        ),
      );
    }
    const report = await ageOut(flags, '2026-11-21');
    expect(report).toEqual({ scanned: 1101, removed: 550 });
    // About 1.7 s of local KV writes and 0.8 s of age-out on a quiet 2-core machine; more than 5 s under CI's load.
  }, 30_000);

  it('[H-01] does not remove an index entry that a newer flag has replaced', async () => {
    const flags = kvFlagStore(env.FLAGS);
    await flags.removeFromIndex('9000000009', 'some-older-flag');
    expect((await flags.getActive('9000000009'))?.flag.id).toBe(SEEDED_FLAG_ID);
  });

  it('runs from the Cron Trigger through the Worker’s scheduled handler', async () => {
    // 9000000009 turns 18 on 2033-06-01; 00:15 UTC that day is after London midnight.
    const controller = createScheduledController({ scheduledTime: new Date('2033-06-01T00:15:00Z'), cron: '15 0 * * *' });
    const logged = vi.spyOn(console, 'info').mockImplementation(() => {});
    await worker.scheduled(controller, env);
    expect(logged.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([{ level: 'info', event: 'age_out', scanned: 1, removed: 1 }]);
    logged.mockRestore();
    expect(await kvFlagStore(env.FLAGS).getActive('9000000009')).toBeNull();
    expect((await read(SEEDED_FLAG_ID)).status).toBe(200);
  });

  it('[H-03] still runs when the API’s own configuration is broken (no issuer, production without a key source): it needs only its store', async () => {
    const broken = { ...env, ENVIRONMENT: 'production', AUTH_ISSUER: '', AUTH_JWT_SECRET: '', AUTH_JWKS_URL: '' } as typeof env;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const infos = vi.spyOn(console, 'info').mockImplementation(() => {});
    // The same configuration stops every API request with a 500 …
    const ctx = createExecutionContext();
    const refused = await worker.fetch(new Request(`https://fgm.example/Flag/${SEEDED_FLAG_ID}`), broken, ctx);
    await waitOnExecutionContext(ctx);
    expect(refused.status).toBe(500);
    // … but not the age-out.
    const controller = createScheduledController({ scheduledTime: new Date('2033-06-01T00:15:00Z'), cron: '15 0 * * *' });
    await worker.scheduled(controller, broken);
    expect(infos.mock.calls.map(([line]) => JSON.parse(String(line)))).toContainEqual({ level: 'info', event: 'age_out', scanned: 1, removed: 1 });
    errors.mockRestore();
    infos.mockRestore();
    expect(await kvFlagStore(env.FLAGS).getActive('9000000009')).toBeNull();
  });
});
