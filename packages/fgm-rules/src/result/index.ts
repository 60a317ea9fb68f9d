import type { CatalogueEntry } from '../catalogue/index.ts';

/** A successful decision carrying its value. */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/** A refused decision carrying the catalogue entry the client must receive. */
export interface Err {
  readonly ok: false;
  readonly error: CatalogueEntry;
}

/**
 * The result of every rule: expected failures are values, never exceptions.
 */
export type Result<T> = Ok<T> | Err;

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
