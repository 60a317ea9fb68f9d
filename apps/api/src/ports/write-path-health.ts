/**
 * What the write path tells the operator (D-22, issue 16): ledgers that
 * refused writes, or could not finish a change's projection or store its
 * audit record, report it here; `/_status` reads it. Reports name a ledger
 * by its opaque object id, never by NHS number, and lapse on their own.
 */

/** What went wrong in one ledger. */
export type WritePathTroubleKind =
  /** A write was answered 503: nothing changed (a dependency failed before the commit). */
  | 'refused'
  /** A committed change is not yet in the flag store or the locator (search may lag behind it). */
  | 'projection'
  /** Audit records of committed changes are not yet in the audit store (they wait in the ledger's outbox). */
  | 'outbox';

/** One ledger's latest trouble. */
export interface WritePathTrouble {
  readonly kind: WritePathTroubleKind;
  /** The fixed name of the dependency that failed (`kv`, `d1`, `locator`, `ledger`). */
  readonly dependency: string;
  /** When the oldest audit record still in the outbox was made (ISO instant), for `outbox`; else `null`. */
  readonly oldestOutboxAt: string | null;
  /** When this was reported (ISO instant). */
  readonly at: string;
}

/** A trouble as `/_status` reads it: which ledger (its opaque object id) had it. */
export interface WritePathReport extends WritePathTrouble {
  readonly ledger: string;
}

/** Where ledgers report trouble and `/_status` reads it. Methods throw when it fails. */
export interface WritePathHealth {
  /**
   * Records a ledger's trouble, replacing its earlier report of the same
   * kind (a refusal is not hidden by a later projection trouble); it lapses
   * by itself after 15 minutes unless renewed.
   */
  report(ledger: string, trouble: WritePathTrouble): Promise<void>;
  /** Forgets every report of a ledger: it has recovered. */
  clear(ledger: string): Promise<void>;
  /** The reports that have not lapsed. */
  list(): Promise<WritePathReport[]>;
}
