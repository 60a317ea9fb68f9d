/**
 * The {@link FlagLocator} on Durable Objects (D-26): flag id → NHS number in
 * a fixed set of {@link LOCATOR_SHARDS} objects, a flag's shard chosen by a
 * hash of its id. A lookup of an id nobody recorded reads one of those
 * objects and creates nothing, so unknown ids cannot leave storage behind.
 */
import { DurableObject } from 'cloudflare:workers';
import { DependencyUnavailableError, guardDependency } from '../ports/errors.ts';
import type { FlagLocator } from '../ports/flag-locator.ts';

/** How many locator objects there are: enough that none is busy (one write per Add), few enough to stay a fixed set. */
export const LOCATOR_SHARDS = 64;

/** @internal The name of the shard holding flag `id`: FNV-1a over its UTF-16 units, modulo the shard count. */
export function locatorShard(id: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `locator-${hash % LOCATOR_SHARDS}`;
}

/** Storage key of one flag's patient. */
const ownerKey = (id: string) => `owner:${id}`;

/** A Durable Object holding, for the flag ids of its shard, whose flag each is: strongly consistent. */
export class FlagLocatorObject extends DurableObject<Env> {
  /**
   * Records the patient of flag `id`; the first record stands (a flag never
   * changes patient). Answers whether `nhsNumber` is the recorded patient,
   * as a value: an exception leaving an RPC method is reported as uncaught.
   */
  async record(id: string, nhsNumber: string): Promise<boolean> {
    const current = await this.ctx.storage.get<string>(ownerKey(id));
    if (current === undefined) await this.ctx.storage.put(ownerKey(id), nhsNumber);
    return (current ?? nhsNumber) === nhsNumber;
  }

  /** The recorded patient of flag `id`, or `null`. Reads only. */
  async owner(id: string): Promise<string | null> {
    return (await this.ctx.storage.get<string>(ownerKey(id))) ?? null;
  }
}

/** A {@link FlagLocator} over the `FLAG_LOCATOR` namespace. */
export function durableFlagLocator(namespace: DurableObjectNamespace<FlagLocatorObject>): FlagLocator {
  return {
    async record(id, nhsNumber) {
      const recorded = await guardDependency('locator', () => namespace.getByName(locatorShard(id)).record(id, nhsNumber));
      // A fresh random id already recorded for someone else: refuse rather than ever point it at two patients.
      if (recorded !== true) throw new DependencyUnavailableError('locator');
    },
    async owner(id) {
      const owner = await guardDependency('locator', () => namespace.getByName(locatorShard(id)).owner(id));
      if (owner !== null && typeof owner !== 'string') throw new DependencyUnavailableError('locator');
      return owner;
    },
  };
}
