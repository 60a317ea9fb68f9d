/**
 * The `FlagLedger` Durable Object class: the serialisation point of one NHS
 * number (D-14), running the {@link PatientLedger} over its own storage.
 */
import { DurableObject } from 'cloudflare:workers';
import { durableFlagLocator } from '../adapters/durable-flag-locator/index.ts';
import { kvFlagStore } from '../adapters/kv-flag-store/index.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { AddCommand, RemoveActiveCommand, RemoveCommand } from '../ports/flag-writer.ts';
import { type LedgerResult, type LedgerState, PatientLedger } from './patient-ledger.ts';

const STATE_KEY = 'state';
/** How soon an alarm retries a projection left incomplete by a store failure. */
const REPAIR_DELAY_MS = 5_000;

/** What the object answers: a rule decision, or that a dependency failed (the Worker answers 503). */
export type LedgerOutcome = LedgerResult | { readonly ok: false; readonly unavailable: string };

/**
 * The serialisation point of one NHS number (D-14): a Durable Object named
 * by the NHS number, running its {@link PatientLedger} one operation at a
 * time. `blockConcurrencyWhile` holds every other request to this patient
 * until the operation, KV writes included, has finished.
 *
 * Its methods never throw: an exception leaving the critical section would
 * reset the object, and one leaving an RPC method is reported as uncaught.
 * Failures come back as `{ ok: false, unavailable }`.
 */
export class FlagLedger extends DurableObject<Env> {
  /** @internal The ledger of the patient this object is named after, or `undefined` if it has no name. */
  private ledger(): PatientLedger | undefined {
    const nhsNumber = this.ctx.id.name;
    if (!nhsNumber) return undefined;
    const storage = this.ctx.storage;
    return new PatientLedger(
      nhsNumber,
      { get: () => storage.get<LedgerState>(STATE_KEY), put: (state) => storage.put(STATE_KEY, state) },
      kvFlagStore(this.env.FLAGS),
      durableFlagLocator(this.env.FLAG_LOCATOR),
    );
  }

  /** @internal Runs one operation exclusively; on failure schedules the repair alarm and reports it as a value. */
  private async exclusive(run: (ledger: PatientLedger) => Promise<LedgerResult>): Promise<LedgerOutcome> {
    const ledger = this.ledger();
    if (!ledger) return { ok: false, unavailable: 'ledger' };
    return this.ctx.blockConcurrencyWhile(async (): Promise<LedgerOutcome> => {
      try {
        return await run(ledger);
      } catch (error) {
        await this.ctx.storage.setAlarm(Date.now() + REPAIR_DELAY_MS);
        return { ok: false, unavailable: error instanceof DependencyUnavailableError ? error.dependency : 'ledger' };
      }
    });
  }

  /** Answers without touching storage: the health probe of the namespace (D-22). */
  ping(): 'pong' {
    return 'pong';
  }

  /** Applies an Add for this patient. */
  add(command: AddCommand): Promise<LedgerOutcome> {
    return this.exclusive((ledger) => ledger.add(command));
  }

  /** Applies a Remove for this patient. */
  remove(command: RemoveCommand): Promise<LedgerOutcome> {
    return this.exclusive((ledger) => ledger.remove(command));
  }

  /** Removes this patient's active flag, whatever its id (the legacy delete). */
  removeActive(command: RemoveActiveCommand): Promise<LedgerOutcome> {
    return this.exclusive((ledger) => ledger.removeActive(command));
  }

  /** Repairs an incomplete projection, rescheduling itself while the store is still failing. */
  override async alarm(): Promise<void> {
    const ledger = this.ledger();
    if (!ledger) return;
    await this.ctx.blockConcurrencyWhile(async () => {
      try {
        await ledger.reproject(new Date());
      } catch {
        await this.ctx.storage.setAlarm(Date.now() + REPAIR_DELAY_MS);
      }
    });
  }
}
