/**
 * The one way flags change (D-14): every Add and Remove for one NHS number
 * goes through a single serialisation point that decides with the rules
 * against its own current state, then writes the flag and the search index.
 */
import type { AddRequest, FlagRecord, LegacyDeleteReason, PatientDemographics, RemoveBody, Result } from '@fgm-is/rules';
import type { AuditDraft } from '../audit/event.ts';

/** An Add to apply: the validated request, the directory's answer and the server-assigned facts. */
export interface AddCommand {
  readonly request: AddRequest;
  readonly patient: PatientDemographics | null;
  /**
   * The patient's flag as the search index showed it while the patient was
   * looked up (`undefined` if not read): used only by a ledger that has no
   * state yet, instead of reading the index itself (ADR 0002).
   */
  readonly stored?: FlagRecord | null | undefined;
  readonly id: string;
  /** ISO instant of the request. */
  readonly now: string;
  /** The request's audit record but for its outcome: committed with the change, completed by the ledger. */
  readonly audit: AuditDraft;
}

/** A Remove to apply to the flag `id`, whoever's it is. */
export interface RemoveCommand {
  readonly id: string;
  /** The body, already reduced by `parseRemoveBody` (the raw body never leaves the Worker). */
  readonly removal: RemoveBody;
  readonly ifMatch: string | null;
  /** ISO instant of the request. */
  readonly now: string;
  /** The request's audit record but for its outcome: committed with the change, completed by the ledger. */
  readonly audit: AuditDraft;
}

/**
 * A Remove of whatever flag patient `nhsNumber` has active (the legacy
 * delete, L-7), with its reason translated into the R4 Remove by the rules.
 */
export interface RemoveActiveCommand {
  readonly nhsNumber: string;
  readonly reason: LegacyDeleteReason;
  /** ISO instant of the request. */
  readonly now: string;
  /** The request's audit record but for its outcome: committed with the change, completed by the ledger. */
  readonly audit: AuditDraft;
}

/** What a write decided, and whose flag it concerned (for the audit record). */
type WriteResult = Result<FlagRecord> & { readonly nhsNumber?: string | undefined };

/**
 * Applies Adds and Removes. Every decision is the writer's: rule failures
 * (including an unknown flag id on Remove) are returned; a storage failure
 * throws `DependencyUnavailableError` and leaves nothing half-written (a
 * retry succeeds once the fault clears). A change is committed together
 * with its audit record, so no change exists without one.
 */
export interface FlagWriter {
  add(command: AddCommand): Promise<WriteResult>;
  remove(command: RemoveCommand): Promise<WriteResult>;
  /** Removes the patient's active flag, R1 when there is none. */
  removeActive(command: RemoveActiveCommand): Promise<WriteResult>;
}
