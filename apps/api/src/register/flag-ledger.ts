/**
 * The `FlagLedger` Durable Object class: the serialisation point of one NHS
 * number (D-14), running the {@link PatientLedger} over its own storage
 * (ADR 0002: commit, then project; the outbox leaves only once stored).
 */
import { DurableObject } from 'cloudflare:workers';
import type { AuditEvent, AuditStore } from '../audit/event.ts';
import { type Stores, storesFromEnv } from '../compose.ts';
import { describeError, log } from '../log/index.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { WritePathTroubleKind } from '../ports/write-path-health.ts';
import type { AddCommand, RemoveActiveCommand, RemoveCommand } from './flag-writer.ts';
import { type LedgerOutcome, type LedgerResult, type LedgerState, PatientLedger } from './patient-ledger.ts';

const STATE_KEY = 'state';
/** The patient's NHS number, kept beside the state: an alarm wakes an object without the name it was called by. */
const NHS_NUMBER_KEY = 'nhsNumber';
/** Keys of the outbox: audit records committed with a change, not yet known to be in the audit store. */
const OUTBOX_PREFIX = 'outbox:';
/** Set while this ledger has a trouble report out (so that a restarted object still clears it once well). */
const REPORTED_KEY = 'reported';
/** Records stored in the audit store per round trip (D1 takes a batch as one transaction). */
const SHIP_BATCH = 50;
/**
 * How far ahead a commit sets the alarm: the safety net, should the relay
 * that runs right after the answer not finish (the object killed, D1 or KV
 * failing). The relay deletes it once nothing is left to do.
 */
const SAFETY_NET_MS = 5_000;
/** The first retry of an alarm whose work failed, doubled per failure up to {@link RETRY_MAX_MS}. */
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 300_000;

/**
 * The serialisation point of one NHS number (D-14): a Durable Object named
 * by the NHS number, running its {@link PatientLedger} one operation at a
 * time. `blockConcurrencyWhile` holds every other request to this patient
 * until the operation, projection included, has finished.
 *
 * A change is committed with its audit record and a wake-up (the alarm) in
 * one atomic write, then projected. The alarm finishes any projection a
 * failure or a crash cut short, and moves the outbox into the audit store,
 * deleting each record only once the store has it (D-15, H-06).
 *
 * Its methods never throw: an exception leaving the critical section would
 * reset the object, and one leaving an RPC method is reported as uncaught.
 * Failures come back as `{ ok: false, unavailable }`, and are logged.
 */
export class FlagLedger extends DurableObject<Env> {
  /** @internal This object's patient's ledger, kept while the object lives (it remembers what it has projected). */
  private patient: PatientLedger | undefined;
  /** @internal Consecutive failed alarms, for the retry back-off (reset by a success or a restart). */
  private failures = 0;
  /** @internal Changes committed by this instance: an operation that commits starts the relay. */
  private commits = 0;
  /** @internal The relay under way, if any, and whether another commit came while it ran. */
  private relaying: Promise<void> | undefined;
  private relayAgain = false;
  /** @internal Reports and clearances, kept in the order they were made. */
  private signals: Promise<void> = Promise.resolve();

  /**
   * @internal The ports this object works through, from the composition
   * root: the flag store and locator it projects to, the audit store its
   * outbox goes to (the store itself, so a record leaves the outbox only
   * once it is stored: ADR 0002), and the write path's trouble reports.
   */
  protected stores(): Pick<Stores, 'flags' | 'locator' | 'auditStore' | 'writePath'> {
    return storesFromEnv(this.env);
  }

  /**
   * @internal Tells `/_status` about trouble (best effort: a report that
   * fails is logged, and the failure it reports is logged already). The
   * ledger is named by its object id, never its NHS number. `remember`
   * notes it in this object's storage, so that a restarted object still
   * clears it once well (not for a call sent to the wrong object, which
   * must leave nothing behind). Never throws; callers on the path of an
   * answer do not wait for it.
   */
  private report(kind: WritePathTroubleKind, dependency: string, oldestOutboxAt: string | null = null, remember = true): Promise<void> {
    this.signals = this.signals.then(() => this.send(kind, dependency, oldestOutboxAt, remember));
    return this.signals;
  }

  /** @internal {@link report}'s work. */
  private async send(kind: WritePathTroubleKind, dependency: string, oldestOutboxAt: string | null, remember: boolean): Promise<void> {
    try {
      await this.stores().writePath.report(this.ctx.id.toString(), {
        kind,
        dependency,
        oldestOutboxAt,
        at: new Date().toISOString(),
      });
      if (remember) await this.ctx.storage.put(REPORTED_KEY, true);
    } catch (error) {
      log('error', 'ledger_report_failed', describeError(error));
    }
  }

  /** @internal Clears this ledger's reports once it has done all its work (never throws), after any report made before. */
  private recovered(): Promise<void> {
    this.signals = this.signals.then(() => this.clear());
    return this.signals;
  }

  /** @internal {@link recovered}'s work. */
  private async clear(): Promise<void> {
    if (!(await this.ctx.storage.get<boolean>(REPORTED_KEY).catch(() => true))) return;
    try {
      await this.stores().writePath.clear(this.ctx.id.toString());
      await this.ctx.storage.delete(REPORTED_KEY);
    } catch (error) {
      log('error', 'ledger_report_failed', describeError(error));
    }
  }

  /**
   * @internal The ledger of `nhsNumber`, or (for an alarm, which wakes the
   * object without the name it is called by) of the NHS number stored with
   * its state; `undefined` if there is none, or if this object is not the
   * one named after `nhsNumber` (a call sent to the wrong object: two
   * ledgers for one patient would undo D-14).
   */
  private async ledger(nhsNumber?: string): Promise<PatientLedger | undefined> {
    const storage = this.ctx.storage;
    if (this.patient) return nhsNumber === undefined || nhsNumber === this.patient.nhsNumber ? this.patient : undefined;
    const patient = nhsNumber ?? (await storage.get<string>(NHS_NUMBER_KEY));
    if (!patient || !this.ctx.id.equals(this.env.FLAG_LEDGER.idFromName(patient))) return undefined;
    this.patient = new PatientLedger(
      patient,
      {
        get: () => storage.get<LedgerState>(STATE_KEY),
        // The state, the record and the alarm, nothing awaited in between: the runtime stores them as one write.
        commit: async (state, record) => {
          const committed = storage.put({ [STATE_KEY]: state, [NHS_NUMBER_KEY]: patient, [`${OUTBOX_PREFIX}${record.recordId}`]: record });
          const safetyNet = storage.setAlarm(Date.now() + SAFETY_NET_MS);
          await Promise.all([committed, safetyNet]);
          this.commits++;
        },
      },
      this.stores().flags,
      this.stores().locator,
    );
    return this.patient;
  }

  /**
   * @internal Runs one operation exclusively. A failure before the commit is
   * logged and answered as a value; a projection that failed after it is
   * logged, and the alarm the commit set finishes it.
   */
  private async exclusive(nhsNumber: string, run: (ledger: PatientLedger) => Promise<LedgerResult>): Promise<LedgerOutcome> {
    const committed = this.commits;
    const outcome = await this.operate(nhsNumber, run);
    if (this.commits !== committed) this.relaySoon();
    return outcome;
  }

  /** @internal {@link exclusive}'s operation, under `blockConcurrencyWhile`. */
  private operate(nhsNumber: string, run: (ledger: PatientLedger) => Promise<LedgerResult>): Promise<LedgerOutcome> {
    return this.ctx.blockConcurrencyWhile(async (): Promise<LedgerOutcome> => {
      try {
        const ledger = await this.ledger(nhsNumber);
        if (!ledger) {
          log('error', 'ledger_refused', { reason: 'misrouted' });
          void this.report('refused', 'ledger', null, false);
          return { ok: false, unavailable: 'ledger' };
        }
        const result = await run(ledger);
        const deferred = ledger.projectionDeferred();
        if (deferred) {
          log('warn', 'ledger_projection_deferred', { dependency: deferred.dependency, ...describeError(deferred) });
          void this.report('projection', deferred.dependency);
        } else if (!result.ok) {
          // A rule's answer: the ledger serves again (clears a refusal reported earlier, if any).
          void this.recovered();
        }
        return result;
      } catch (error) {
        const dependency = error instanceof DependencyUnavailableError ? error.dependency : 'ledger';
        log('error', 'ledger_refused', { dependency, ...describeError(error) });
        await this.ctx.storage.setAlarm(Date.now() + RETRY_FIRST_MS);
        void this.report('refused', dependency);
        return { ok: false, unavailable: dependency };
      }
    });
  }

  /** Answers without touching storage: the health probe of the namespace (D-22). */
  ping(): 'pong' {
    return 'pong';
  }

  /** Applies an Add for this patient. */
  add(command: AddCommand): Promise<LedgerOutcome> {
    return this.exclusive(command.request.nhsNumber, (ledger) => ledger.add(command));
  }

  /** Applies a Remove for this patient, `nhsNumber` (whose flag `command.id` is). */
  remove(nhsNumber: string, command: RemoveCommand): Promise<LedgerOutcome> {
    return this.exclusive(nhsNumber, (ledger) => ledger.remove(command));
  }

  /** Removes this patient's active flag, whatever its id (the legacy delete). */
  removeActive(command: RemoveActiveCommand): Promise<LedgerOutcome> {
    return this.exclusive(command.nhsNumber, (ledger) => ledger.removeActive(command));
  }

  /**
   * @internal Starts the relay once an operation has answered (not awaited
   * by it): the change's audit record goes to the audit store at once, and
   * the alarm stays only as the safety net. One relay at a time; a commit
   * made while one runs gets another.
   */
  private relaySoon(): void {
    if (this.relaying) {
      this.relayAgain = true;
      return;
    }
    this.relaying = (async () => {
      let done = true;
      do {
        this.relayAgain = false;
        done = await this.relay();
      } while (this.relayAgain);
      // What the relay left undone is the alarm's (the commit set it; a retry sooner if none is set).
      if (!done && (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + RETRY_FIRST_MS);
    })()
      .catch((error: unknown) => log('error', 'ledger_relay_failed', describeError(error)))
      .finally(() => {
        this.relaying = undefined;
      });
  }

  /**
   * Finishes a projection left unfinished, then moves the outbox into the
   * audit store; the work the relay did not finish (the object killed, a
   * dependency failing) sets the alarm again, backing off. Records survive
   * the object being evicted or killed before this runs: they were committed
   * with the change, and so was this alarm.
   */
  override async alarm(): Promise<void> {
    if (await this.relay()) {
      this.failures = 0;
      return;
    }
    this.failures++;
    await this.ctx.storage.setAlarm(Date.now() + Math.min(RETRY_FIRST_MS * 2 ** (this.failures - 1), RETRY_MAX_MS));
  }

  /**
   * @internal The relay: finishes a projection left unfinished, then stores
   * the outbox in the audit store, each record deleted only once the store
   * has it, in the same write that forgets the finished projection (and,
   * when nothing is left, the alarm). Reports trouble, and clears the report
   * once all is done. Never throws; answers whether all was done.
   */
  private async relay(): Promise<boolean> {
    let trouble: { kind: WritePathTroubleKind; dependency: string; oldestOutboxAt?: string } | undefined;
    // The projection, exclusively: no operation of this patient runs during it.
    const settled = await this.ctx.blockConcurrencyWhile(async () => {
      try {
        const ledger = await this.ledger();
        if (ledger) await ledger.settle(new Date());
        return ledger;
      } catch (error) {
        log('error', 'ledger_repair_failed', describeError(error));
        trouble = { kind: 'projection', dependency: error instanceof DependencyUnavailableError ? error.dependency : 'ledger' };
        return undefined;
      }
    });
    try {
      await this.ship(settled);
    } catch (error) {
      log('error', 'ledger_outbox_not_stored', describeError(error));
      const outbox = await this.ctx.storage.list<AuditEvent>({ prefix: OUTBOX_PREFIX }).catch(() => new Map<string, AuditEvent>());
      const oldest = [...outbox.values()].map((r) => r.occurredAt).sort()[0];
      trouble = {
        kind: 'outbox',
        dependency: error instanceof DependencyUnavailableError ? error.dependency : 'audit',
        ...(oldest ? { oldestOutboxAt: oldest } : {}),
      };
    }
    if (trouble) {
      await this.report(trouble.kind, trouble.dependency, trouble.oldestOutboxAt ?? null);
      return false;
    }
    // Only a ledger that has done its work has recovered; an object with none (it never committed) has proved nothing.
    if (settled) await this.recovered();
    return true;
  }

  /**
   * @internal Stores the outbox in the audit store, a batch at a time, and
   * deletes what was stored. The last deletion is one write with the state
   * stored without the records `ledger` has projected, if nothing was
   * committed since.
   */
  private async ship(ledger: PatientLedger | undefined): Promise<void> {
    const storage = this.ctx.storage;
    const store = this.stores().auditStore;
    const outbox = await storage.list<AuditEvent>({ prefix: OUTBOX_PREFIX });
    const keys = [...outbox.keys()];
    let stored: string[] = [];
    for (let i = 0; i < keys.length; i += SHIP_BATCH) {
      if (stored.length > 0) await storage.delete(stored);
      stored = keys.slice(i, i + SHIP_BATCH);
      await store.insert(stored.map((key) => outbox.get(key) as AuditEvent));
    }
    await this.ctx.blockConcurrencyWhile(async () => {
      const state = await storage.get<LedgerState | { active: LedgerState['active'] }>(STATE_KEY);
      // A state of the earlier protocol, repaired by the settle above, is stored anew too.
      const forget = state !== undefined && ledger !== undefined && (!('unprojected' in state) || ledger.hasProjected(state));
      // A projection not finished (the settle failed, or came before a commit) keeps the alarm: it is its retry.
      const unprojected = state !== undefined && !forget && (!('unprojected' in state) || state.unprojected.length > 0);
      const shipped = new Set(stored);
      const left = [...(await storage.list({ prefix: OUTBOX_PREFIX })).keys()].some((key) => !shipped.has(key));
      // The writes together, nothing awaited in between: one write.
      const writes: Promise<unknown>[] = [];
      if (stored.length > 0) writes.push(storage.delete(stored));
      if (forget) writes.push(storage.put(STATE_KEY, { active: state.active, unprojected: [], commits: 'commits' in state ? state.commits : 0 }));
      if (!left && !unprojected) writes.push(storage.deleteAlarm());
      await Promise.all(writes);
    });
  }
}
