import { listDurableObjectIds } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../ports/errors.ts';
import { LOCATOR_SHARDS, durableFlagLocator, locatorShard } from './flag-locator.ts';

describe('Durable Object flag locator (D-26)', () => {
  it('[H-05] answers whose flag an id is, as soon as it is recorded, and null for an id never recorded', async () => {
    const locator = durableFlagLocator(env.FLAG_LOCATOR);
    expect(await locator.owner('f-1')).toBeNull();
    await locator.record('f-1', '9000000017');
    expect(await locator.owner('f-1')).toBe('9000000017');
    await locator.record('f-1', '9000000017');
    expect(await locator.owner('f-1')).toBe('9000000017');
  });

  it('[H-02] never moves a flag to another patient', async () => {
    const locator = durableFlagLocator(env.FLAG_LOCATOR);
    await locator.record('f-2', '9000000017');
    await expect(locator.record('f-2', '9000000025')).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(await locator.owner('f-2')).toBe('9000000017');
  });
});

describe('the locator keeps to a fixed set of objects (issue 16.9)', () => {
  it('[H-07] lookups of ids nobody recorded create no object and no storage, however many', async () => {
    const locator = durableFlagLocator(env.FLAG_LOCATOR);
    const before = (await listDurableObjectIds(env.FLAG_LOCATOR)).length;
    for (let i = 0; i < 100; i++) expect(await locator.owner(crypto.randomUUID())).toBeNull();
    expect((await listDurableObjectIds(env.FLAG_LOCATOR)).length).toBeLessThanOrEqual(Math.max(before, LOCATOR_SHARDS));
    // Recording flags fills at most the fixed set of shards, never one object per flag.
    for (let i = 0; i < 100; i++) await locator.record(crypto.randomUUID(), '9000000017');
    expect((await listDurableObjectIds(env.FLAG_LOCATOR)).length).toBeLessThanOrEqual(LOCATOR_SHARDS);
  }, 60_000);

  it('a flag id always maps to the same one of the shards', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (id) => {
        const shard = locatorShard(id);
        expect(shard).toBe(locatorShard(id));
        expect(Number(shard.slice('locator-'.length))).toBeLessThan(LOCATOR_SHARDS);
      }),
    );
  });
});
