import type { CatalogueEntry } from '../catalogue/index.ts';

/** A successful decision carrying its value. */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/**
 * A refused decision carrying the catalogue entry the client must receive
 * (or, for a library built on these rules, its own error type `E`).
 */
export interface Err<E = CatalogueEntry> {
  readonly ok: false;
  readonly error: E;
}

/**
 * The result of every rule: expected failures are values, never exceptions.
 * `E` is the catalogue entry here; `@fgm-is/client` uses the same shape with
 * the error a client sees.
 */
export type Result<T, E = CatalogueEntry> = Ok<T> | Err<E>;

/**
 * Wraps a value as a successful result.
 *
 * @internal
 */
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/**
 * Wraps a catalogue entry as a failed result.
 *
 * @internal
 */
export function fail(error: CatalogueEntry): Err {
  return { ok: false, error };
}
