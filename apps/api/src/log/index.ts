/**
 * Operational logs: one JSON object a line, never an NHS number, a token or
 * a request body (D-15). Workers Logs indexes the fields. Used by every
 * layer (the HTTP side, the ledger, the queue consumer, the Cron Triggers).
 */

/** The fields of one log line; values are facts the service chose, never client text. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Writes one structured log line at `level`. */
export function log(level: 'info' | 'warn' | 'error', event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
}

const NHS_NUMBER = /\b[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}\b/g;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(bearer)\s+\S+/gi;
const LONG_OPAQUE = /[A-Za-z0-9_=-]{40,}/g;

/**
 * Text that may have come from inside a dependency or a bug, with patient
 * data and credentials removed: anything shaped like an NHS number, a JWT, a
 * bearer credential or a long opaque string is replaced, and the rest cut to
 * 200 characters.
 */
export function scrub(text: string): string {
  return text
    .replace(JWT, '[token]')
    .replace(BEARER, '$1 [token]')
    .replace(LONG_OPAQUE, '[redacted]')
    .replace(NHS_NUMBER, '[nhs-number]')
    .slice(0, 200);
}

/** A loggable name for anything thrown or rejected: an Error's class, else `null` or the value's type (never the value). */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return error === null ? 'null' : typeof error;
}

/**
 * @internal An error's own code, as libraries set it (jose's `ERR_JWKS_TIMEOUT`, a socket's `ECONNRESET`): it
 * survives the production build, which does not keep class names (wrangler.toml `keep_names = false`), so a
 * library error's `name` there may be a minified one.
 */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/** What an operator needs to debug an error, scrubbed: its class, its code if it has one, message and the frame that threw it. */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: errorName(error) };
  const frame = error.stack
    ?.split('\n')
    .slice(1)
    .find((line) => line.trim().startsWith('at '))
    ?.trim();
  const code = (error as { readonly code?: unknown }).code;
  return {
    error: error.name,
    ...(typeof code === 'string' && ERROR_CODE.test(code) ? { code } : {}),
    message: scrub(error.message),
    where: frame === undefined ? null : scrub(frame),
  };
}
