/**
 * What a call that did not succeed resolves to. One shape for both channels:
 * the HTTP status (0 when no HTTP answer came), the code a supplier's code
 * can branch on, the server's exact diagnostics, and whether trying again
 * later may succeed.
 */
import type { LegacyCode, SpineCode } from '@fgm-is/rules';

/** Codes the client itself gives when the server's answer could not be had or read. */
export type TransportCode =
  /** No HTTP answer: the connection failed or was refused. */
  | 'NETWORK_ERROR'
  /** No HTTP answer within the client's `timeoutMs`. */
  | 'TIMEOUT'
  /** An HTTP answer that is not what the contract says (not FHIR, not the right resource, a flag for another child). */
  | 'UNEXPECTED_RESPONSE'
  /** The `token` function failed or gave no token: nothing was sent. */
  | 'TOKEN_UNAVAILABLE';

/** Every code an error can carry: the R4 Spine codes, the legacy codes and the client's own. */
export type KnownErrorCode = SpineCode | LegacyCode | TransportCode;

/**
 * An FGM-IS call that did not succeed.
 *
 * **Safety:** an error is never "no flag". A `retryable` error means the
 * register *could not be checked*: show that to the clinician, do not treat
 * the child as unflagged (hazards H-01, H-07).
 */
export interface ClientError {
  /** The HTTP status, or 0 when no HTTP answer came (network failure, timeout, no token). */
  readonly status: number;
  /**
   * The Spine details code (`INVALID_VALUE`, `NO_RECORD_FOUND`, …) as the
   * server sent it, or one of the client's {@link TransportCode}s. A server
   * outside the contract may send a code not in {@link KnownErrorCode}.
   */
  readonly code: KnownErrorCode | (string & {});
  /** The server's `diagnostics`, exactly (the contract's catalogue text), or the client's own explanation. */
  readonly diagnostics: string;
  /** True exactly when the same call may succeed later: status 0, 429, 502, 503 or 504. */
  readonly retryable: boolean;
}

/** HTTP statuses after which the same request may succeed later. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Whether an answer with this status (0: none came) may succeed if sent again later. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || RETRYABLE_STATUSES.has(status);
}

/**
 * An error with `retryable` derived from its status.
 *
 * @internal
 */
export function clientError(status: number, code: ClientError['code'], diagnostics: string): ClientError {
  return Object.freeze({ status, code, diagnostics, retryable: isRetryableStatus(status) });
}

/**
 * An answer that is not what the contract promises.
 *
 * @internal
 */
export function unexpected(status: number, what: string): ClientError {
  return clientError(status, 'UNEXPECTED_RESPONSE', `The server's answer was not understood: ${what}`);
}
