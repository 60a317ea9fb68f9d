/**
 * The write path of one patient (D-14): decide with the rules against the
 * ledger's own state, record the intent, project onto the flag store, then
 * commit the change together with its audit record.
 */
import { type FlagRecord, type Result, decideAdd, decideRemoval, isCurrentFlag, isFhirId, legacyRemoval, londonDate } from '@fgm-is/rules';
import { changeRecordId, completeAudit } from '../audit/complete.ts';
import type { AuditDraft, AuditEvent } from '../ports/audit-sink.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { FlagLocator } from '../ports/flag-locator.ts';
import type { FlagStore } from '../ports/flag-store.ts';
import type { AddCommand, RemoveActiveCommand, RemoveCommand } from '../ports/flag-writer.ts';

/** What a ledger keeps about its patient, in strongly consistent storage. */
export interface LedgerState {
  /** The patient's active flag, or `null`. The authority for Add and Remove decisions. */
  readonly active: FlagRecord | null;
  /**
   * Ids of flags a write under way (or one that failed or was cut off) may
   * have left half-written in the flag store. Empty when the store agrees
   * with the ledger.
   */
  readonly pending: readonly string[];
}

/** Strongly consistent storage for one ledger (a Durable Object's storage, or memory). */
export interface LedgerStorage {
  get(): Promise<LedgerState | undefined>;
  /** Writes the state alone: the first load, a repair. */
  put(state: LedgerState): Promise<void>;
  /**
   * Writes a change's intent (the state with the flag id pending) and, in
   * the same write, schedules the repair that runs should the operation be
   * cut off before its commit (the object reset, evicted or crashed).
   */
  intend(state: LedgerState): Promise<void>;
  /**
   * Commits a change: the new state and, in the same atomic write, the
   * change's audit record (the outbox, shipped to the audit store later).
   * Either both are stored or neither is.
   */
  commit(state: LedgerState, record: AuditEvent): Promise<void>;
}

/** The result of a ledger operation: a rule decision, or a store failure after which the ledger is unchanged. */
export type LedgerResult = Result<FlagRecord>;

/**
 * The patient whose ledger holds flag `id`, or `null` when no flag has that
 * id (a URL id that is not a FHIR id names none). The flag store answers
 * almost always, in one read; when it does not know the id, the strongly
 * consistent locator is asked, so a flag added moments ago at another
 * location is found all the same (D-26).
 */
export async function flagOwner(flags: FlagStore, locator: FlagLocator, id: string): Promise<string | null> {
  if (!isFhirId(id)) return null;
  const stored = await flags.getById(id);
  return stored ? stored.nhsNumber : locator.owner(id);
}

/** A Remove of a flag no ledger holds, decided as D-9 orders it (an invalid body first, then R1). */
export function removeUnknownFlag(command: RemoveCommand): LedgerResult {
  return decideRemoval({ ...command, record: null });
}

/**
 * The write path of one patient (D-14). It holds the authoritative active
 * flag and decides with the rules against it. A change then goes: the
 * intent (the flag id as pending) → the flag store (by id, then the search
 * index) → the commit of the new state with the change's audit record, in
 * one atomic write. Callers run one operation at a time per patient (the
 * Durable Object does).
 *
 * If a store write fails, or the operation is cut off before its commit,
 * the ledger's state is the old one and the id is pending: before its next
 * operation (or from an alarm) it re-projects its state onto the store,
 * undoing the half write, so the search index never keeps disagreeing with
 * the ledger, a retry succeeds, and no change is ever committed without its
 * audit record.
 */
export class PatientLedger {
  constructor(
    private readonly nhsNumber: string,
    private readonly storage: LedgerStorage,
    private readonly flags: FlagStore,
    private readonly locator: FlagLocator,
  ) {}

  /** Loads the state, bootstrapping from the flag store the first time (sandbox seeds and pre-ledger data). */
  private async load(): Promise<LedgerState> {
    const stored = await this.storage.get();
    if (stored) return stored;
    const state: LedgerState = { active: await this.flags.getActive(this.nhsNumber), pending: [] };
    await this.storage.put(state);
    return state;
  }

  /**
   * Makes the flag store agree with the ledger after a write that did not
   * commit: the active flag restored by id and in the index (or no index
   * entry), and any flag an uncommitted Add left behind discarded (its
   * client got a 503, or no answer at all).
   *
   * @returns the state the store now agrees with, for the operation that follows.
   */
  async reproject(now: Date): Promise<LedgerState> {
    const state = await this.load();
    if (state.pending.length === 0) return state;
    const { active } = state;
    for (const id of state.pending) if (id !== active?.flag.id) await this.flags.discard(id);
    if (active) await this.flags.update(active);
    if (!active || !isCurrentFlag(active, londonDate(now))) await this.flags.removeFromIndex(this.nhsNumber);
    const repaired: LedgerState = { active, pending: [] };
    await this.storage.put(repaired);
    return repaired;
  }

  /**
   * @internal Applies a decided change: the intent, the projection, then the
   * commit with the audit record. A store failure leaves the intent for the
   * repair and is rethrown as unavailable.
   */
  private async apply(state: LedgerState, record: FlagRecord, write: () => Promise<void>, audit: AuditDraft, status: 200 | 201): Promise<void> {
    const id = record.flag.id;
    await this.storage.intend({ ...state, pending: [...state.pending, id] });
    try {
      await write();
    } catch (error) {
      throw error instanceof DependencyUnavailableError ? error : new DependencyUnavailableError('kv', { cause: error });
    }
    const active = record.flag.status === 'active' ? record : null;
    await this.storage.commit(
      { active, pending: [] },
      completeAudit(audit, {
        recordId: changeRecordId(id, record.flag.meta.versionId),
        status,
        detailsCode: null,
        flagId: id,
        nhsNumber: this.nhsNumber,
      }),
    );
  }

  /** Applies an Add (D-6, D-7): re-decided here against the ledger's own active flag. */
  async add(command: AddCommand): Promise<LedgerResult> {
    const now = new Date(command.now);
    const state = await this.reproject(now);
    const decision = decideAdd({ ...command, activeFlag: state.active, today: londonDate(now) });
    if (!decision.ok) return decision;
    // Recorded before the flag is written anywhere: a failure here leaves nothing to repair (D-26).
    await this.locator.record(command.id, this.nhsNumber);
    await this.apply(state, decision.value, () => this.flags.create(decision.value), command.audit, 201);
    return decision;
  }

  /** Applies a Remove (D-9) of the ledger's active flag. */
  async remove(command: RemoveCommand): Promise<LedgerResult> {
    const now = new Date(command.now);
    const state = await this.reproject(now);
    const record = state.active?.flag.id === command.id ? state.active : null;
    const decision = decideRemoval({ id: command.id, removal: command.removal, record, ifMatch: command.ifMatch, now: command.now });
    if (!decision.ok) return decision;
    await this.apply(state, decision.value, () => this.flags.update(decision.value), command.audit, 200);
    return decision;
  }

  /**
   * Removes whatever flag is active (the legacy delete, L-7): the R4 Remove
   * of that flag, its reason translated by the rules; R1 when none is.
   */
  async removeActive(command: RemoveActiveCommand): Promise<LedgerResult> {
    const now = new Date(command.now);
    const state = await this.reproject(now);
    const id = state.active?.flag.id ?? '';
    const decision = decideRemoval({ id, removal: legacyRemoval(command.reason, id), record: state.active, ifMatch: null, now: command.now });
    if (!decision.ok) return decision;
    await this.apply(state, decision.value, () => this.flags.update(decision.value), command.audit, 200);
    return decision;
  }
}
