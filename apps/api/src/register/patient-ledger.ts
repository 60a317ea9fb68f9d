/**
 * The write path of one patient (D-14, ADR 0002): decide with the rules
 * against the ledger's own state, commit the change together with its audit
 * record in one atomic write, then project it onto the flag store and the
 * locator.
 */
import { type FlagRecord, type Result, decideAdd, decideRemoval, isCurrentFlag, isFhirId, legacyRemoval, londonDate } from '@fgm-is/rules';
import { changeRecordId, completeAudit } from '../audit/draft.ts';
import type { AuditDraft, AuditEvent } from '../audit/event.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { FlagLocator } from '../ports/flag-locator.ts';
import type { FlagStore } from '../ports/flag-store.ts';
import type { AddCommand, RemoveActiveCommand, RemoveCommand } from './flag-writer.ts';

/** What a ledger keeps about its patient, in strongly consistent storage. */
export interface LedgerState {
  /** The patient's active flag, or `null`. The authority for Add and Remove decisions. */
  readonly active: FlagRecord | null;
  /**
   * The records the last commit changed, as committed: until they are known
   * to be in the flag store (and, for a new flag, in the locator), the next
   * operation or the alarm projects them again. Projection is idempotent.
   */
  readonly unprojected: readonly FlagRecord[];
  /** How many changes this ledger has committed: names the state whose `unprojected` records were projected. */
  readonly commits: number;
}

/**
 * A state written by the protocol before ADR 0002: ids an uncommitted write
 * may have left half-written in the flag store. Read once, then replaced.
 *
 * @internal
 */
interface IntentState {
  readonly active: FlagRecord | null;
  readonly pending: readonly string[];
}

/** Strongly consistent storage for one ledger (a Durable Object's storage, or memory). */
export interface LedgerStorage {
  get(): Promise<LedgerState | IntentState | undefined>;
  /**
   * Commits a change: the new state and, in the same atomic write, the
   * change's audit record (the outbox, stored in the audit trail later) and
   * the wake-up that ships it and finishes the projection should this
   * process stop first. Either all are stored or none is.
   */
  commit(state: LedgerState, record: AuditEvent): Promise<void>;
}

/** The result of a ledger operation: a rule decision (a refusal changed nothing). Store failures are thrown. */
export type LedgerResult = Result<FlagRecord>;

/** What a ledger object answers: a rule decision, or that a dependency failed before anything changed (the Worker answers 503). */
export type LedgerOutcome = LedgerResult | { readonly ok: false; readonly unavailable: string };

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
 * commit of the new state with the change's audit record, in one atomic
 * write → the projection: the flag by id, the search index and (for a new
 * flag) the locator, written at once. Callers run one operation at a time
 * per patient (the Durable Object does) and keep one instance per patient
 * while they can: it remembers what it has already projected.
 *
 * Once committed, a change has happened: the caller is told so even if the
 * projection then fails (ADR 0002). A projection that fails, or is cut off
 * by a crash, is repeated before the next operation and by the alarm, so the
 * search index never keeps disagreeing with the ledger; no change is ever
 * committed without its audit record. A store failure before the commit is
 * thrown as `DependencyUnavailableError`, and nothing has changed.
 */
export class PatientLedger {
  /** The `commits` of the state whose `unprojected` records this instance has projected. */
  private projected: number | undefined;
  /** Why the last change's projection failed (it stands, committed), until a projection succeeds. */
  private deferred: DependencyUnavailableError | undefined;

  constructor(
    readonly nhsNumber: string,
    private readonly storage: LedgerStorage,
    private readonly flags: FlagStore,
    private readonly locator: FlagLocator,
  ) {}

  /**
   * @internal Loads the state, bootstrapping from the flag store the first
   * time (sandbox seeds and data from before the ledger), or from `stored`,
   * the index as the caller read it; the bootstrap is stored with the first
   * commit, not before. `discard` lists flags the earlier protocol may have
   * left half-written.
   */
  private async load(stored?: FlagRecord | null): Promise<{ state: LedgerState; discard: readonly string[] }> {
    const kept = await this.storage.get();
    if (kept && 'unprojected' in kept) return { state: kept, discard: [] };
    if (kept) {
      // The earlier protocol's intent: an uncommitted flag may be half-written. The active flag is projected again.
      const { active, pending } = kept;
      return { state: { active, unprojected: active ? [active] : [], commits: 0 }, discard: pending.filter((id) => id !== active?.flag.id) };
    }
    // Never changed here: what the index holds is the truth (read with the directory lookup when the caller could).
    const active = stored === undefined ? await this.flags.getActive(this.nhsNumber) : stored;
    return { state: { active, unprojected: [], commits: 0 }, discard: [] };
  }

  /**
   * @internal Writes the state's records where readers find them: each
   * changed record by id, the index (the active flag while current, else
   * none) and, for a new flag, the locator; `discard` deleted by id. Every
   * write is idempotent and they run at once; the first failure is thrown
   * after all have settled.
   */
  private async project(state: LedgerState, discard: readonly string[], now: Date): Promise<void> {
    const { active } = state;
    const writes: Promise<void>[] = [
      ...discard.map((id) => this.flags.discard(id)),
      ...state.unprojected.map((record) => this.flags.putFlag(record)),
      active && isCurrentFlag(active, londonDate(now)) ? this.flags.putIndex(active) : this.flags.removeFromIndex(this.nhsNumber),
      ...state.unprojected
        .filter((record) => record.flag.meta.versionId === '1')
        .map((record) => this.locator.record(record.flag.id, this.nhsNumber)),
    ];
    const failed = (await Promise.allSettled(writes)).find((settled) => settled.status === 'rejected');
    if (failed)
      throw failed.reason instanceof DependencyUnavailableError ? failed.reason : new DependencyUnavailableError('kv', { cause: failed.reason });
    this.projected = state.commits;
    this.deferred = undefined;
  }

  /** Why the last committed change is not yet fully projected (the alarm will finish it), or `undefined`. */
  projectionDeferred(): DependencyUnavailableError | undefined {
    return this.deferred;
  }

  /**
   * The state, with any projection a failure or a crash left unfinished
   * finished first (throws `DependencyUnavailableError` if it still fails:
   * nothing new is decided on an unprojected state). `stored` is the
   * patient's indexed flag if the caller has read it already.
   */
  async settle(now: Date, stored?: FlagRecord | null): Promise<LedgerState> {
    const { state, discard } = await this.load(stored);
    const unfinished = state.unprojected.length > 0 && this.projected !== state.commits;
    if (unfinished || discard.length > 0) await this.project(state, discard, now);
    return state;
  }

  /**
   * Whether `state` (as {@link settle} returned it) has records this
   * instance has projected, so that it may be stored without them; the
   * caller checks that nothing was committed since.
   */
  hasProjected(state: LedgerState): boolean {
    return state.unprojected.length > 0 && this.projected === state.commits;
  }

  /**
   * @internal Commits a decided change with its audit record, then projects
   * it. A projection failure does not undo the change: it is kept in
   * {@link projectionDeferred} and finished later.
   */
  private async apply(state: LedgerState, record: FlagRecord, audit: AuditDraft, status: 200 | 201, now: Date): Promise<void> {
    const id = record.flag.id;
    const next: LedgerState = { active: record.flag.status === 'active' ? record : null, unprojected: [record], commits: state.commits + 1 };
    await this.storage.commit(
      next,
      completeAudit(audit, {
        recordId: changeRecordId(id, record.flag.meta.versionId),
        status,
        detailsCode: null,
        flagId: id,
        nhsNumber: this.nhsNumber,
      }),
    );
    this.projected = undefined;
    try {
      await this.project(next, [], now);
    } catch (error) {
      this.deferred = error instanceof DependencyUnavailableError ? error : new DependencyUnavailableError('kv', { cause: error });
    }
  }

  /** Applies an Add (D-6, D-7): re-decided here against the ledger's own active flag. */
  async add(command: AddCommand): Promise<LedgerResult> {
    const now = new Date(command.now);
    const state = await this.settle(now, command.stored);
    const decision = decideAdd({ ...command, activeFlag: state.active, today: londonDate(now) });
    if (!decision.ok) return decision;
    await this.apply(state, decision.value, command.audit, 201, now);
    return decision;
  }

  /** Applies a Remove (D-9) of the ledger's active flag. */
  async remove(command: RemoveCommand): Promise<LedgerResult> {
    const now = new Date(command.now);
    const state = await this.settle(now);
    const record = state.active?.flag.id === command.id ? state.active : null;
    const decision = decideRemoval({ id: command.id, removal: command.removal, record, ifMatch: command.ifMatch, now: command.now });
    if (!decision.ok) return decision;
    await this.apply(state, decision.value, command.audit, 200, now);
    return decision;
  }

  /**
   * Removes whatever flag is active (the legacy delete, L-7): the R4 Remove
   * of that flag, its reason translated by the rules; R1 when none is.
   */
  async removeActive(command: RemoveActiveCommand): Promise<LedgerResult> {
    const now = new Date(command.now);
    const state = await this.settle(now);
    const id = state.active?.flag.id ?? '';
    const decision = decideRemoval({ id, removal: legacyRemoval(command.reason, id), record: state.active, ifMatch: null, now: command.now });
    if (!decision.ok) return decision;
    await this.apply(state, decision.value, command.audit, 200, now);
    return decision;
  }
}
