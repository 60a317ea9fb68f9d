/**
 * FHIR JSON responses (D-1, D-12): resources, OperationOutcomes from the
 * catalogue, written Flags as `Prefer` asks, and the base URL of links.
 */
import {
  type CatalogueEntry,
  FHIR_JSON_CONTENT_TYPE,
  type FgmFlag,
  type InformationalKind,
  httpDate,
  informationalOutcome,
  parsePreferReturn,
  toOperationOutcome,
  weakEtag,
} from '@fgm-is/rules';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv, AuditNote } from '../app-env.ts';

/** Sends a FHIR resource as `application/fhir+json; charset=utf-8`. */
export function fhirJson(c: Context<AppEnv>, resource: unknown, status: ContentfulStatusCode, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(resource), status, { ...headers, 'Content-Type': FHIR_JSON_CONTENT_TYPE });
}

/** @internal A fresh id for an OperationOutcome, even when the services could not be resolved. */
function outcomeId(c: Context<AppEnv>): string {
  return c.get('services')?.newId() ?? crypto.randomUUID();
}

/** Sends a catalogue entry as its OperationOutcome with its HTTP status. */
export function sendOutcome(c: Context<AppEnv>, entry: CatalogueEntry, headers: Record<string, string> = {}): Response {
  return fhirJson(c, toOperationOutcome(entry, outcomeId(c)), entry.status, headers);
}

/**
 * Sends a created or updated Flag as the client's `Prefer: return=` asks
 * (D-1): the Flag (default), nothing, or an informational OperationOutcome,
 * always with ETag and Last-Modified.
 */
export function sendWrittenFlag(
  c: Context<AppEnv>,
  flag: FgmFlag,
  status: 200 | 201,
  kind: InformationalKind,
  headers: Record<string, string> = {},
): Response {
  const all = { ...headers, ETag: weakEtag(flag.meta.versionId), 'Last-Modified': httpDate(flag.meta.lastUpdated) };
  switch (parsePreferReturn(c.req.header('Prefer'))) {
    case 'minimal':
      return c.body(null, status, all);
    case 'OperationOutcome':
      return fhirJson(c, informationalOutcome(kind, flag.id, outcomeId(c)), status, all);
    default:
      return fhirJson(c, flag, status, all);
  }
}

/**
 * Notes the patient and flag a request concerns, as the handler learns
 * them, for the request's audit record (D-15).
 */
export function noteAudit(c: Context<AppEnv>, note: AuditNote): void {
  const current = c.get('auditNote') ?? {};
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(note)) if (value !== undefined) merged[key] = value;
  c.set('auditNote', merged as AuditNote);
}

/** The base URL for Location, fullUrl and self links. */
export function baseUrlOf(c: Context<AppEnv>): string {
  return c.get('services').publicBaseUrl ?? new URL(c.req.url).origin;
}
