/**
 * One conformance check: a stable id, the contract clause it tests, the
 * channel it needs, and what it does.
 *
 * @internal
 */
import type { Context } from '../runner/context.ts';

/** One check of the contract. */
export interface Check {
  /** Stable, unique: the catalogue row or decision and a short name (`A4-over-18`). */
  readonly id: string;
  /** The clause it tests, as the contract names it (`§8 A4`, `D-10`, `L-6`). */
  readonly clause: string;
  /** The channel it needs; `service` checks run whichever channels are chosen. */
  readonly channel: 'r4' | 'legacy' | 'service';
  readonly title: string;
  readonly run: (context: Context) => Promise<void>;
}

/** A fresh UUID, for ids the server must not know. */
export const uuid = (): string => crypto.randomUUID();
