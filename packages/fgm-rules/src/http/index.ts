/**
 * HTTP-level rules shared by the interactions: content negotiation (D-12, D-24),
 * media types (D-3), `Prefer` (D-1), `If-Match` (D-9) and the ETag /
 * Last-Modified formats (D-1, D-11).
 */
import { catalogue } from '../catalogue/index.ts';
import { type Result, fail, ok } from '../result/index.ts';

/** The Content-Type of every FHIR JSON response (D-12). */
export const FHIR_JSON_CONTENT_TYPE = 'application/fhir+json; charset=utf-8';

/** Largest accepted request body in bytes (D-12). */
export const MAX_BODY_BYTES = 64 * 1024;

const JSON_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/fhir+json', 'application/json']);
const ACCEPTABLE_RANGES: ReadonlySet<string> = new Set(['application/fhir+json', 'application/json', 'application/*', '*/*']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** @internal Splits a header value on `separator`, trimming parts (linear, no regular expression). */
function splitTrim(value: string, separator: string): string[] {
  return value.split(separator).map((part) => part.trim());
}

/** @internal Parses `type/subtype; name=value; …` into a lower-cased type and its parameters, or `undefined`. */
function parseMediaType(value: string): { type: string; params: Map<string, string> } | undefined {
  const [head = '', ...rest] = splitTrim(value, ';');
  const type = head.toLowerCase();
  const slash = type.indexOf('/');
  if (slash <= 0 || !TOKEN.test(type.slice(0, slash)) || !TOKEN.test(type.slice(slash + 1))) return undefined;
  const params = new Map<string, string>();
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq <= 0) return undefined;
    const name = param.slice(0, eq).trim().toLowerCase();
    let val = param.slice(eq + 1).trim();
    if (val.length >= 2 && val.startsWith('"') && val.endsWith('"')) val = val.slice(1, -1);
    if (!TOKEN.test(name) || val === '') return undefined;
    params.set(name, val);
  }
  return { type, params };
}

/**
 * Whether a request Content-Type is FHIR JSON (D-3): `application/fhir+json`
 * or `application/json` in any case, with parameters such as `fhirVersion`
 * allowed; a `charset`, when given, must be UTF-8.
 */
export function isJsonContentType(value: string | null | undefined): boolean {
  return isUtf8MediaType(value, JSON_MEDIA_TYPES);
}

/** @internal Whether `value` is one of `types`, any parameters allowed, and a charset, if given, UTF-8. */
function isUtf8MediaType(value: string | null | undefined, types: ReadonlySet<string>): boolean {
  if (value == null) return false;
  const media = parseMediaType(value);
  if (!media || !types.has(media.type)) return false;
  const charset = media.params.get('charset');
  return charset === undefined || charset.toLowerCase() === 'utf-8';
}

const XML_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/xml+fhir', 'application/fhir+xml', 'text/xml', 'application/xml']);

/**
 * Whether a request Content-Type is one the legacy messaging API takes
 * (L-2): `application/xml+fhir`, `application/fhir+xml`, `text/xml` or
 * `application/xml`, parameters allowed; a `charset`, when given, must be UTF-8.
 */
export function isLegacyXmlContentType(value: string | null | undefined): boolean {
  return isUtf8MediaType(value, XML_MEDIA_TYPES);
}

/**
 * Content negotiation (D-12): an absent Accept is fine; otherwise some range
 * with a non-zero quality must admit `application/fhir+json` or `application/json`.
 */
export function negotiateAccept(accept: string | null | undefined): Result<void> {
  if (accept == null || accept.trim() === '') return ok(undefined);
  for (const range of splitTrim(accept, ',')) {
    const media = parseMediaType(range);
    if (!media || !ACCEPTABLE_RANGES.has(media.type)) continue;
    const q = media.params.get('q');
    if (q === undefined || Number(q) > 0) return ok(undefined);
  }
  return fail(catalogue.NOT_ACCEPTABLE);
}

/**
 * The `_format` search parameter (D-24): every value must name JSON (`json`,
 * `application/json` or `application/fhir+json`, parameters allowed), else
 * the 406 of D-12. No `_format` at all is fine.
 */
export function checkFormatParameter(values: readonly string[]): Result<void> {
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed.toLowerCase() === 'json') continue;
    const media = parseMediaType(trimmed);
    if (!media || !JSON_MEDIA_TYPES.has(media.type)) return fail(catalogue.NOT_ACCEPTABLE);
  }
  return ok(undefined);
}

/** What a client asked to receive after a create or update (D-1). */
export type ReturnPreference = 'minimal' | 'representation' | 'OperationOutcome';

/**
 * Reads `return=` from a Prefer header (D-1). An absent or unknown value
 * gives `representation`, the default (the created or updated Flag).
 */
export function parsePreferReturn(prefer: string | null | undefined): ReturnPreference {
  if (prefer == null) return 'representation';
  for (const preference of splitTrim(prefer, ',')) {
    for (const part of splitTrim(preference, ';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim().toLowerCase() !== 'return') continue;
      const value = part
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (value === 'minimal' || value === 'representation' || value === 'OperationOutcome') return value;
    }
  }
  return 'representation';
}

/** The weak ETag of a version (D-1): `W/"{versionId}"`. */
export function weakEtag(versionId: string): string {
  return `W/"${versionId}"`;
}

/** An ISO instant as an HTTP date (IMF-fixdate) for `Last-Modified` and `Date`. */
export function httpDate(isoInstant: string): string {
  return new Date(isoInstant).toUTCString();
}

/** A parsed If-Match header (D-9). */
export type IfMatch = { readonly any: true } | { readonly any: false; readonly versions: readonly string[] };

const ENTITY_TAG = /^(?:W\/)?"([\x21\x23-\x7E]*)"$/;

/**
 * Parses If-Match (D-9): `*`, or one or more comma-separated entity tags
 * (`W/"2"` or `"2"`). Anything else is a malformed head parameter.
 *
 * @returns the parsed value, or `undefined` when malformed.
 */
export function parseIfMatch(value: string): IfMatch | undefined {
  const trimmed = value.trim();
  if (trimmed === '*') return { any: true };
  const versions: string[] = [];
  for (const tag of splitTrim(trimmed, ',')) {
    const match = ENTITY_TAG.exec(tag);
    if (!match) return undefined;
    versions.push(match[1] as string);
  }
  return { any: false, versions };
}

/** Whether a parsed If-Match admits the current version. */
export function ifMatchAdmits(ifMatch: IfMatch, currentVersionId: string): boolean {
  return ifMatch.any || ifMatch.versions.includes(currentVersionId);
}

/** The body-size rule (D-12): more than {@link MAX_BODY_BYTES} bytes is refused with 413. */
export function checkBodySize(byteLength: number): Result<void> {
  return byteLength > MAX_BODY_BYTES ? fail(catalogue.BODY_TOO_LARGE) : ok(undefined);
}
