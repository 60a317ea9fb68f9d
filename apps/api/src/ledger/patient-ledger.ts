/**
 * The write path of one patient (D-14): decide with the rules against the
 * ledger's own state, project onto the flag store, then commit.
 */
import { type FlagRecord, type Result, decideAdd, decideRemoval, isCurrentFlag, isFhirId, legacyRemoval, londonDate } from '@fgm-is/rules';
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { FlagLocator } from '../ports/flag-locator.ts';
import type { FlagStore } from '../ports/flag-store.ts';
import type { AddCommand, RemoveActiveCommand, RemoveCommand } from '../ports/flag-writer.ts';

/** What a ledger keeps about its patient, in strongly consistent storage. */
export interface LedgerState {
  /** The patient's active flag, or `null`. The authority for Add and Remove decisions. */
  readonly active: FlagRecord | null;
  /**
   * Ids of flags a failed write may have left half-written in the flag store.
   * Empty when the store agrees with the ledger.
   */
  readonly pending: readonly string[];
}

/** Strongly consistent storage for one ledger (a Durable Object's storage, or memory). */
export interface LedgerStorage {
  get(): Promise<LedgerState | undefined>;
  put(state: LedgerState): Promise<void>;
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
 * flag, decides with the rules against it, writes the flag store (by id,
 * then the search index), and only then commits its own state. Callers
 * must run one operation at a time per patient (the Durable Object does).
 *
 * If a store write fails, its own state is unchanged, it records the flag id
 * as pending and throws `DependencyUnavailableError`; before its next
 * operation (or from an alarm) it re-projects its state onto the store,
 * undoing any half write, so the search index never keeps disagreeing with
 * the stored flags and a retry succeeds.
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
   * Makes the flag store agree with the ledger after a failed write: the
   * active flag restored by id and in the index (or no index entry), and
   * any flag a failed Add left behind discarded (its client got a 503).
   */
  async reproject(now: Date): Promise<void> {
    const state = await this.load();
    if (state.pending.length === 0) return;
    const { active } = state;
    for (const id of state.pending) if (id !== active?.flag.id) await this.flags.discard(id);
    if (active) await this.flags.update(active);
    if (!active || !isCurrentFlag(active, londonDate(now))) await this.flags.removeFromIndex(this.nhsNumber);
    await this.storage.put({ active, pending: [] });
  }

  /** @internal Writes flag `id` to the store; on failure records it as pending and rethrows as unavailable. */
  private async project(state: LedgerState, id: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      await this.storage.put({ ...state, pending: [...state.pending, id] });
      throw error instanceof DependencyUnavailableError ? error : new DependencyUnavailableError('kv', { cause: error });
    }
  }

  /** Applies an Add (D-6, D-7): re-decided here against the ledger's own active flag. */
  async add(command: AddCommand): Promise<LedgerResult> {
    const now = new Date(command.now);
    await this.reproject(now);
    const state = await this.load();
    const decision = decideAdd({ ...command, activeFlag: state.active, today: londonDate(now) });
    if (!decision.ok) return decision;
    // Recorded before the flag is written anywhere: a failure here leaves nothing to repair (D-26).
    await this.locator.record(command.id, this.nhsNumber);
    await this.project(state, command.id, () => this.flags.create(decision.value));
    await this.storage.put({ active: decision.value, pending: [] });
    return decision;
  }

  /** Applies a Remove (D-9) of the ledger's active flag. */
  async remove(command: RemoveCommand): Promise<LedgerResult> {
    const now = new Date(command.now);
    await this.reproject(now);
    const state = await this.load();
    const record = state.active?.flag.id === command.id ? state.active : null;
    return this.commitRemoval(state, decideRemoval({ id: command.id, removal: command.removal, record, ifMatch: command.ifMatch, now: command.now }));
  }

  /**
   * Removes whatever flag is active (the legacy delete, L-7): the R4 Remove
   * of that flag, its reason translated by the rules; R1 when none is.
   */
  async removeActive(command: RemoveActiveCommand): Promise<LedgerResult> {
    const now = new Date(command.now);
    await this.reproject(now);
    const state = await this.load();
    const id = state.active?.flag.id ?? '';
    const removal = legacyRemoval(command.reason, id);
    return this.commitRemoval(state, decideRemoval({ id, removal, record: state.active, ifMatch: null, now: command.now }));
  }

  /** @internal Projects a decided removal onto the store, then commits it; a refusal changes nothing. */
  private async commitRemoval(state: LedgerState, decision: LedgerResult): Promise<LedgerResult> {
    if (!decision.ok) return decision;
    await this.project(state, decision.value.flag.id, () => this.flags.update(decision.value));
    await this.storage.put({ active: null, pending: [] });
    return decision;
  }
}
