/**
 * `createClient`: one object for both channels of an FGM-IS server. Every
 * call resolves to `{ ok: true, value }` or `{ ok: false, error }` and never
 * throws for an HTTP or network outcome.
 */
import { type Result, isAsid, londonDate } from '@fgm-is/rules';
import { type ClientError, clientError } from '../errors/index.ts';
import * as legacy from '../legacy/index.ts';
import * as r4 from '../r4/index.ts';
import { MAX_RETRIES, NO_RETRY, type RetryPolicy, type TransportSettings } from '../transport/index.ts';

/** An access token, or a function that gives one (called before every R4 call, so it can refresh). */
export type TokenSource = string | (() => string | Promise<string>);

/** Settings of {@link createClient}. */
export interface ClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8787` or `https://…/FHIR/R4`. */
  readonly baseUrl: string;
  /** Your system's ASID (12 digits). */
  readonly fromAsid: string;
  /** The FGM-IS service's ASID (12 digits). */
  readonly toAsid: string;
  /** The bearer token for R4 calls (the legacy channel does not use one, L-4). */
  readonly token: TokenSource;
  /** The user the legacy messages name as author; required for legacy create and delete. */
  readonly author?: legacy.LegacyAuthor;
  /** The fetch to use. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** A TraceID (R4) or MessageHeader id (legacy) for each call. Default: a fresh UUID per call. */
  readonly traceId?: () => string;
  /** How long to wait for each answer, in ms. Default 10,000. */
  readonly timeoutMs?: number;
  /** Retries of `retryable` errors. Default: none. */
  readonly retry?: Partial<RetryPolicy>;
  /** The clock, for today's date in Europe/London (local checks) and message timestamps. Default: `() => new Date()`. */
  readonly now?: () => Date;
}

/** The legacy Spine messaging calls. */
export interface LegacyCalls {
  /** The child's active flag; no flag is the error `NO_RECORD_FOUND` (status 404). */
  query(nhsNumber: string): Promise<Result<legacy.LegacyQueryValue, ClientError>>;
  /** Adds the child's flag; already set is the error `FLAG_ALREADY_SET` (status 422). */
  create(input: legacy.LegacyCreateInput): Promise<Result<legacy.LegacyAck, ClientError>>;
  /** Removes the child's flag. */
  delete(nhsNumber: string, options: legacy.LegacyDeleteOptions): Promise<Result<legacy.LegacyAck, ClientError>>;
}

/** An FGM-IS client. */
export interface FgmClient {
  /** The child's active flag, or `{ flag: null }`. An error is never "no flag": a `retryable` one means "could not be checked". */
  search(nhsNumber: string): Promise<Result<r4.SearchValue, ClientError>>;
  /** Adds the child's flag. */
  add(input: r4.AddInput): Promise<Result<r4.AddValue, ClientError>>;
  /** A flag by id, active or removed, with its `etag`. */
  read(id: string): Promise<Result<r4.FlagValue, ClientError>>;
  /** Removes a flag with a reason (`'0'` or `'2'`), optionally only if it is still the version `ifMatch` names. */
  remove(id: string, options: r4.RemoveOptions): Promise<Result<r4.FlagValue, ClientError>>;
  readonly legacy: LegacyCalls;
}

/** @internal Turns a token source into the R4 head parameters, or TOKEN_UNAVAILABLE. */
function headParameters(options: ClientOptions, traceId: () => string): () => Promise<Result<Record<string, string>, ClientError>> {
  return async () => {
    let token: string;
    try {
      token = typeof options.token === 'function' ? await options.token() : options.token;
    } catch {
      return { ok: false, error: clientError(0, 'TOKEN_UNAVAILABLE', 'The token function failed: nothing was sent') };
    }
    if (typeof token !== 'string' || token === '')
      return { ok: false, error: clientError(0, 'TOKEN_UNAVAILABLE', 'The token function gave no token: nothing was sent') };
    return { ok: true, value: { TraceID: traceId(), FromASID: options.fromAsid, ToASID: options.toAsid, Authorization: `Bearer ${token}` } };
  };
}

/**
 * Creates a client for both channels of one FGM-IS server. Settings that
 * cannot work (a base URL that is not http(s), an ASID that is not 12
 * digits, a retry policy out of bounds) throw a `TypeError` here, once.
 *
 * @example
 * const fgm = createClient({ baseUrl: 'http://127.0.0.1:8787', fromAsid: '200000000001', toAsid: '200000000000', token });
 * const found = await fgm.search('9000000009');
 * if (!found.ok) couldNotBeChecked(found.error); // never treat an error as "no flag"
 * else if (found.value.flag) showFlag(found.value.flag);
 */
export function createClient(options: ClientOptions): FgmClient {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw new TypeError('baseUrl must be an absolute http(s) URL');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('baseUrl must be an absolute http(s) URL');
  if (!isAsid(options.fromAsid) || !isAsid(options.toAsid)) throw new TypeError('fromAsid and toAsid must each be 12 digits');
  const retry: RetryPolicy = { ...NO_RETRY, ...options.retry };
  if (!Number.isInteger(retry.retries) || retry.retries < 0 || retry.retries > MAX_RETRIES || !(retry.delayMs >= 0)) {
    throw new TypeError(`retry.retries must be an integer from 0 to ${MAX_RETRIES} and retry.delayMs at least 0`);
  }
  const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
  const transport: TransportSettings = {
    baseUrl: `${base.origin}${base.pathname.replace(/\/+$/, '')}`,
    fetch: fetcher,
    timeoutMs: options.timeoutMs ?? 10_000,
  };
  const uuid = () => crypto.randomUUID();
  const traceId = options.traceId ?? uuid;
  const now = options.now ?? (() => new Date());
  const r4Context: r4.CallContext = { transport, retry, headers: headParameters(options, traceId), today: () => londonDate(now()), uuid };
  const legacyContext: legacy.LegacyContext = {
    transport,
    retry,
    fromAsid: options.fromAsid,
    toAsid: options.toAsid,
    author: options.author,
    traceId,
    uuid,
    now,
  };
  return {
    search: (nhsNumber) => r4.search(r4Context, nhsNumber),
    add: (input) => r4.add(r4Context, input),
    read: (id) => r4.read(r4Context, id),
    remove: (id, removeOptions) => r4.remove(r4Context, id, removeOptions),
    legacy: {
      query: (nhsNumber) => legacy.query(legacyContext, nhsNumber),
      create: (input) => legacy.create(legacyContext, input),
      delete: (nhsNumber, deleteOptions) => legacy.remove(legacyContext, nhsNumber, deleteOptions),
    },
  };
}
