/**
 * The {@link FlagLocator} on Durable Objects (D-26): one `FlagLocatorObject`
 * per flag id, holding only the NHS number of its patient.
 */
import { DurableObject } from 'cloudflare:workers';
import { DependencyUnavailableError, guardDependency } from '../../ports/errors.ts';
import type { FlagLocator } from '../../ports/flag-locator.ts';

const OWNER_KEY = 'owner';

/** The Durable Object named by a flag id: strongly consistent storage of whose flag it is. */
export class FlagLocatorObject extends DurableObject<Env> {
  /**
   * Records the patient; the first record stands (a flag never changes
   * patient). Answers whether `nhsNumber` is the recorded patient, as a
   * value: an exception leaving an RPC method is reported as uncaught.
   */
  async record(nhsNumber: string): Promise<boolean> {
    const current = await this.ctx.storage.get<string>(OWNER_KEY);
    if (current === undefined) await this.ctx.storage.put(OWNER_KEY, nhsNumber);
    return (current ?? nhsNumber) === nhsNumber;
  }

  /** The recorded patient, or `null`. */
  async owner(): Promise<string | null> {
    return (await this.ctx.storage.get<string>(OWNER_KEY)) ?? null;
  }
}

/** A {@link FlagLocator} over the `FLAG_LOCATOR` namespace. */
export function durableFlagLocator(namespace: DurableObjectNamespace<FlagLocatorObject>): FlagLocator {
  return {
    async record(id, nhsNumber) {
      const recorded = await guardDependency('locator', () => namespace.getByName(id).record(nhsNumber));
      // A fresh random id already recorded for someone else: refuse rather than ever point it at two patients.
      if (recorded !== true) throw new DependencyUnavailableError('locator');
    },
    async owner(id) {
      const owner = await guardDependency('locator', () => namespace.getByName(id).owner());
      if (owner !== null && typeof owner !== 'string') throw new DependencyUnavailableError('locator');
      return owner;
    },
  };
}
