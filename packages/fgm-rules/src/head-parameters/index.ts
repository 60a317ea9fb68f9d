/**
 * Required request headers ("head parameters", D-3).
 */
import { isAsid } from '../access/index.ts';
import { headParameterError } from '../catalogue/index.ts';
import { isJsonContentType } from '../http/index.ts';
import type { Interaction } from '../interaction/index.ts';
import { type Result, fail, ok } from '../result/index.ts';

/** Anything that reads a header by name, such as the Fetch API `Headers`. */
export interface HeaderSource {
  get(name: string): string | null;
}

/** The head parameters of a well-formed request. */
export interface HeadParameters {
  readonly traceId: string;
  readonly fromAsid: string;
  readonly toAsid: string;
  /** The compact JWS from `Authorization: Bearer …`; verify it before trusting it. */
  readonly bearerToken: string;
}

const TRACE_ID = /^[\x21-\x7E]{1,128}$/;
/** `Bearer` in any case (D-16), one space, a compact JWS whose signature may be empty (an unsecured JWS, refused later with 401). */
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;
/** Tokens longer than this are refused before any parsing. */
const MAX_AUTHORIZATION_LENGTH = 16 * 1024;

/** Whether a value is a valid TraceID (1–128 visible ASCII characters). */
export function isTraceId(value: unknown): value is string {
  return typeof value === 'string' && TRACE_ID.test(value);
}

/**
 * Checks TraceID, FromASID, ToASID, Authorization and, for add and remove,
 * Content-Type (D-3).
 *
 * @returns the parsed head parameters, or the interaction's "Missing or
 *   invalid head parameter" entry (S2, A8 or R4).
 */
export function checkHeadParameters(headers: HeaderSource, interaction: Interaction): Result<HeadParameters> {
  const error = fail(headParameterError(interaction));
  const traceId = headers.get('TraceID');
  const fromAsid = headers.get('FromASID');
  const toAsid = headers.get('ToASID');
  const authorization = headers.get('Authorization');
  if (!isTraceId(traceId) || !isAsid(fromAsid) || !isAsid(toAsid)) return error;
  if (authorization === null || authorization.length > MAX_AUTHORIZATION_LENGTH) return error;
  const bearer = BEARER.exec(authorization);
  if (!bearer) return error;
  if ((interaction === 'add' || interaction === 'remove') && !isJsonContentType(headers.get('Content-Type'))) return error;
  return ok({ traceId, fromAsid, toAsid, bearerToken: bearer[1] as string });
}
