/**
 * The `FlagLedger` Durable Object class: the serialisation point of one NHS
 * number (D-14), running the {@link PatientLedger} over its own storage.
 */
import { DurableObject } from 'cloudflare:workers';
import { durableFlagLocator } from '../adapters/durable-flag-locator/index.ts';
import { kvFlagStore } from '../adapters/kv-flag-store/index.ts';
import { describeError, log } from '../log/index.ts';
import type { AuditEvent } from '../ports/audit-sink.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { AddCommand, RemoveActiveCommand, RemoveCommand } from '../ports/flag-writer.ts';
import { type LedgerResult, type LedgerState, PatientLedger } from './patient-ledger.ts';

const STATE_KEY = 'state';
/** The patient's NHS number, kept beside the state: an alarm may wake an object whose id has no name. */
const NHS_NUMBER_KEY = 'nhsNumber';
/** Keys of the outbox: audit records committed with a change, not yet handed to the audit queue. */
const OUTBOX_PREFIX = 'outbox:';
/** How soon an alarm retries a projection left incomplete, or an outbox the queue did not take. */
const RETRY_DELAY_MS = 5_000;

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
  /**
   * @internal The ledger of this object's patient: the NHS number it is
   * named after, or (for an alarm, which may wake it without its name) the
   * one stored with its state; `undefined` if it has neither.
   */
  private async ledger(): Promise<PatientLedger | undefined> {
    const storage = this.ctx.storage;
    const nhsNumber = this.ctx.id.name ?? (await storage.get<string>(NHS_NUMBER_KEY));
    if (!nhsNumber) return undefined;
    return new PatientLedger(
      nhsNumber,
      {
        get: () => storage.get<LedgerState>(STATE_KEY),
        put: (state) => storage.put({ [STATE_KEY]: state, [NHS_NUMBER_KEY]: nhsNumber }),
        // The intent and the repair alarm in one write; a successful commit moves the alarm to now (shipping).
        intend: async (state) => {
          const intended = storage.put({ [STATE_KEY]: state, [NHS_NUMBER_KEY]: nhsNumber });
          const repair = storage.setAlarm(Date.now() + RETRY_DELAY_MS);
          await Promise.all([intended, repair]);
        },
        // One atomic write (the state and the record), and the alarm that ships the record: nothing awaited in between,
        // so the runtime coalesces them into a single commit.
        commit: async (state, record) => {
          const committed = storage.put({ [STATE_KEY]: state, [`${OUTBOX_PREFIX}${record.recordId}`]: record });
          const shipping = storage.setAlarm(Date.now());
          await Promise.all([committed, shipping]);
        },
      },
      kvFlagStore(this.env.FLAGS),
      durableFlagLocator(this.env.FLAG_LOCATOR),
    );
  }

  /** @internal Runs one operation exclusively; on failure schedules the repair alarm and reports it as a value. */
  private async exclusive(run: (ledger: PatientLedger) => Promise<LedgerResult>): Promise<LedgerOutcome> {
    if (!this.ctx.id.name) return { ok: false, unavailable: 'ledger' };
    return this.ctx.blockConcurrencyWhile(async (): Promise<LedgerOutcome> => {
      try {
        const ledger = await this.ledger();
        if (!ledger) return { ok: false, unavailable: 'ledger' };
        return await run(ledger);
      } catch (error) {
        log('error', 'ledger_operation_failed', describeError(error));
        await this.ctx.storage.setAlarm(Date.now() + RETRY_DELAY_MS);
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

  /**
   * Ships the outbox to the audit queue (deleting each record only once the
   * queue has taken it) and repairs an incomplete projection; whatever is
   * left undone reschedules the alarm. Records survive the object being
   * evicted or killed before this runs: they were committed with the change.
   */
  override async alarm(): Promise<void> {
    await this.ctx.blockConcurrencyWhile(async () => {
      let retry = false;
      try {
        await this.ship();
      } catch (error) {
        log('error', 'ledger_outbox_not_shipped', describeError(error));
        retry = true;
      }
      try {
        const ledger = await this.ledger();
        if (ledger) await ledger.reproject(new Date());
      } catch (error) {
        log('error', 'ledger_repair_failed', describeError(error));
        retry = true;
      }
      if (retry) await this.ctx.storage.setAlarm(Date.now() + RETRY_DELAY_MS);
    });
  }

  /** @internal Hands every outbox record to the audit queue, then deletes them. */
  private async ship(): Promise<void> {
    const outbox = await this.ctx.storage.list<AuditEvent>({ prefix: OUTBOX_PREFIX });
    if (outbox.size === 0) return;
    const keys = [...outbox.keys()];
    for (let i = 0; i < keys.length; i += 100) {
      const batch = keys.slice(i, i + 100);
      await this.env.AUDIT_QUEUE.sendBatch(batch.map((key) => ({ body: outbox.get(key) as AuditEvent, contentType: 'json' as const })));
      await this.ctx.storage.delete(batch);
    }
  }
}
