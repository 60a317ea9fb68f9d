/**
 * Where a flag's ledger is (D-26): from a flag id to its patient, strongly
 * consistent, for the Remove that follows an Add made moments ago at another
 * location (where the flag store's eventually consistent read, with its
 * cached misses, may not show it yet).
 */

/** Flag id → NHS number, read-your-writes everywhere. Methods throw `DependencyUnavailableError` when it fails. */
export interface FlagLocator {
  /** Records that flag `id` is `nhsNumber`'s, before the flag is written anywhere else. */
  record(id: string, nhsNumber: string): Promise<void>;
  /** The NHS number whose flag `id` is, or `null` when no flag was ever recorded under it. */
  owner(id: string): Promise<string | null>;
}
