import { DurableObject } from 'cloudflare:workers';
import { kvFlagStore } from '../adapters/kv-flag-store/index.ts';
import type { AddCommand, RemoveCommand } from '../ports/flag-writer.ts';
import { type LedgerResult, type LedgerState, PatientLedger } from './patient-ledger.ts';

const STATE_KEY = 'state';
/** How soon an alarm retries a projection left incomplete by a store failure. */
const REPAIR_DELAY_MS = 5_000;

/**
 * The serialisation point of one NHS number (D-14): a Durable Object named
 * by the NHS number, running its {@link PatientLedger} one operation at a
 * time. `blockConcurrencyWhile` holds every other request to this patient
 * until the operation, KV writes included, has finished.
 */
export class FlagLedger extends DurableObject<Env> {
  private ledger(): PatientLedger {
    const storage = this.ctx.storage;
    return new PatientLedger(
      this.nhsNumber(),
      { get: () => storage.get<LedgerState>(STATE_KEY), put: (state) => storage.put(STATE_KEY, state) },
      kvFlagStore(this.env.FLAGS),
    );
  }

  /** @internal The NHS number this object serialises (its name). */
  private nhsNumber(): string {
    const name = this.ctx.id.name;
    if (!name) throw new Error('FlagLedger must be addressed by NHS number');
    return name;
  }

  /** @internal Runs one operation exclusively; schedules a repair if it left the projection dirty. */
  private exclusive(run: (ledger: PatientLedger) => Promise<LedgerResult>): Promise<LedgerResult> {
    return this.ctx.blockConcurrencyWhile(async () => {
      try {
        return await run(this.ledger());
      } catch (error) {
        await this.ctx.storage.setAlarm(Date.now() + REPAIR_DELAY_MS);
        throw error;
      }
    });
  }

  /** Applies an Add for this patient. */
  add(command: AddCommand): Promise<LedgerResult> {
    return this.exclusive((ledger) => ledger.add(command));
  }

  /** Applies a Remove for this patient. */
  remove(command: RemoveCommand): Promise<LedgerResult> {
    return this.exclusive((ledger) => ledger.remove(command));
  }

  /** Repairs an incomplete projection; rethrowing makes the runtime retry the alarm. */
  override async alarm(): Promise<void> {
    await this.ctx.blockConcurrencyWhile(() => this.ledger().reproject(new Date()));
  }
}
