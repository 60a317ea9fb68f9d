import { env } from 'cloudflare:workers';
import { type FlagRecord, buildActiveFlag, buildRemovedFlag } from '@fgm-is/rules';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../ports/errors.ts';
import { activeKey, flagKey } from './keys.ts';
import { kvFlagStore } from './kv-flag-store.ts';

const active: FlagRecord = {
  nhsNumber: '9000000017',
  agesOutOn: '2030-03-15',
  flag: buildActiveFlag({ id: 'f-1', nhsNumber: '9000000017', assessmentDate: '2024-01-01', lastUpdated: '2026-11-21T00:00:00.000Z' }),
};

describe('KV flag store', () => {
  it('[H-01] [H-03] create writes the flag by id and the search index, with age-out metadata', async () => {
    const store = kvFlagStore(env.FLAGS);
    await store.create(active);
    expect(await env.FLAGS.get(flagKey('f-1'), 'json')).toEqual(active);
    const indexed = await env.FLAGS.getWithMetadata(activeKey('9000000017'), 'json');
    expect(indexed.value).toEqual(active);
    expect(indexed.metadata).toEqual({ flagId: 'f-1', agesOutOn: '2030-03-15' });
    expect(await store.getActive('9000000017')).toEqual(active);
    expect(await store.listIndex()).toEqual({ entries: [{ nhsNumber: '9000000017', flagId: 'f-1', agesOutOn: '2030-03-15' }] });
  });

  it('[H-02] update of a removed flag rewrites it by id and drops it from the index', async () => {
    const store = kvFlagStore(env.FLAGS);
    await store.create(active);
    const removed = {
      ...active,
      flag: buildRemovedFlag(
        active.flag,
        'inactive',
        { url: 'u', valueCoding: { system: 's', code: '0', display: 'd' } },
        '2026-11-22T00:00:00.000Z',
      ),
    };
    await store.update(removed);
    expect(await store.getById('f-1')).toEqual(removed);
    expect(await store.getActive('9000000017')).toBeNull();
  });

  it('[H-01] [H-04] turns a KV failure into DependencyUnavailableError without the key in its message', async () => {
    const broken = { get: async () => Promise.reject(new Error('KV GET failed: active:9000000017')) } as unknown as KVNamespace;
    const error = await kvFlagStore(broken)
      .getActive('9000000017')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).message).toBe('kv unavailable');
  });
});
