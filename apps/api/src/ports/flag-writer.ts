import type { AddRequest, FlagRecord, PatientDemographics, RemoveBody, Result } from '@fgm-is/rules';

/** An Add to apply: the validated request, the directory's answer and the server-assigned facts. */
export interface AddCommand {
  readonly request: AddRequest;
  readonly patient: PatientDemographics | null;
  readonly id: string;
  /** ISO instant of the request. */
  readonly now: string;
}

/** A Remove to apply to the flag `id` of patient `nhsNumber`. */
export interface RemoveCommand {
  readonly nhsNumber: string;
  readonly id: string;
  /** The body, already reduced by `parseRemoveBody` (the raw body never leaves the Worker). */
  readonly removal: RemoveBody;
  readonly ifMatch: string | null;
  /** ISO instant of the request. */
  readonly now: string;
}

/**
 * The one way flags change (D-14): every Add and Remove for one NHS number
 * goes through a single serialisation point that re-decides with the rules
 * against its own current state, then writes the flag and the search index.
 *
 * Rule failures are returned; a storage failure throws `DependencyUnavailableError`
 * and leaves nothing half-written (a retry succeeds once the fault clears).
 */
export interface FlagWriter {
  add(command: AddCommand): Promise<Result<FlagRecord>>;
  remove(command: RemoveCommand): Promise<Result<FlagRecord>>;
}
