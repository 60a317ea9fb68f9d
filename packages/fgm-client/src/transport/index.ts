/**
 * One HTTP exchange with an FGM-IS server, bounded in time, and the one
 * retry policy. A failure to get an answer is a value, never an exception.
 *
 * @internal
 */
import type { Result } from '@fgm-is/rules';
import { type ClientError, clientError } from '../errors/index.ts';

/** What came back: the status, the headers and the whole body as text. */
export interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** One request, relative to the base URL. */
export interface Outgoing {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path and query, starting with `/`, already encoded. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** How requests are sent. */
export interface TransportSettings {
  /** The base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
}

/**
 * Sends one request and reads its whole answer within `timeoutMs`.
 * Resolves to the answer, or to a `TIMEOUT` / `NETWORK_ERROR` error with
 * status 0 (retryable: the register could not be checked).
 */
export async function exchange(settings: TransportSettings, outgoing: Outgoing): Promise<Result<Exchange, ClientError>> {
  const signal = AbortSignal.timeout(settings.timeoutMs);
  try {
    const init: RequestInit = { method: outgoing.method, headers: outgoing.headers, signal, redirect: 'manual' };
    if (outgoing.body !== undefined) init.body = outgoing.body;
    const response = await settings.fetch(`${settings.baseUrl}${outgoing.path}`, init);
    // Every FGM-IS answer is UTF-8 (JSON, or XML declared UTF-8); decoding the bytes also spares workerd's warning about text() on XML.
    const text = new TextDecoder().decode(await response.arrayBuffer());
    return { ok: true, value: { status: response.status, headers: response.headers, text } };
  } catch (error) {
    if (signal.aborted) {
      return {
        ok: false,
        error: clientError(0, 'TIMEOUT', `No answer from the FGM-IS server within ${settings.timeoutMs} ms: the register could not be checked`),
      };
    }
    const reason = error instanceof Error && error.name !== 'Error' ? ` (${error.name})` : '';
    return {
      ok: false,
      error: clientError(0, 'NETWORK_ERROR', `The FGM-IS server could not be reached${reason}: the register could not be checked`),
    };
  }
}

/** How often a call is tried again after a `retryable` error, and how long to wait before each try. */
export interface RetryPolicy {
  /** Extra attempts after the first, 0 to 3. Default 0: the caller decides. */
  readonly retries: number;
  /** Wait before the first retry in ms; doubled for each further retry. Default 250. */
  readonly delayMs: number;
}

/** The default: no retry. Writes are not blindly repeated; see the integration guide on idempotency. */
export const NO_RETRY: RetryPolicy = Object.freeze({ retries: 0, delayMs: 250 });

/** The most retries a policy may ask for: a clinician is waiting. */
export const MAX_RETRIES = 3;

/**
 * Runs `attempt` once, then again while it fails with a `retryable` error and
 * the policy allows, waiting `delayMs`, `2 × delayMs`, … between tries.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: () => Promise<Result<T, ClientError>>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<Result<T, ClientError>> {
  let result = await attempt();
  for (let retry = 0; retry < policy.retries && !result.ok && result.error.retryable; retry += 1) {
    await sleep(policy.delayMs * 2 ** retry);
    result = await attempt();
  }
  return result;
}
