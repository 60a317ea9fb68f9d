import type { FlagRecord } from '@fgm-is/rules';

/** An entry of the search index: whose current flag it is, and when it ages out. */
export interface SearchIndexEntry {
  readonly nhsNumber: string;
  readonly flagId: string;
  readonly agesOutOn: string;
}

/**
 * Where flags live. Search and read are one lookup each; writes keep the
 * by-id record and the search index in step.
 *
 * Methods throw `DependencyUnavailableError` when the store fails.
 */
export interface FlagStore {
  /** The flag with this id (active or removed), or `null`. */
  getById(id: string): Promise<FlagRecord | null>;
  /** The patient's indexed active flag, or `null` (one read: the search path). */
  getActive(nhsNumber: string): Promise<FlagRecord | null>;
  /** Stores a new active flag and indexes it for search (seeding; the ledger projects with the writes below). */
  create(record: FlagRecord): Promise<void>;
  /** Stores a new version of a flag; one that is no longer active leaves the search index. */
  update(record: FlagRecord): Promise<void>;
  /** Stores a version of a flag by id only (idempotent). */
  putFlag(record: FlagRecord): Promise<void>;
  /** Makes an active flag its patient's search index entry (idempotent). */
  putIndex(record: FlagRecord): Promise<void>;
  /** Deletes a flag by id that a failed write left behind and no client was ever given. */
  discard(id: string): Promise<void>;
  /** Lists the search index, a page at a time. */
  listIndex(cursor?: string): Promise<{ entries: SearchIndexEntry[]; cursor?: string }>;
  /** Removes a patient's entry from the search index: only if it still points at `flagId` when one is given. */
  removeFromIndex(nhsNumber: string, flagId?: string): Promise<void>;
}
