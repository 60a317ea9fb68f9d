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
import type { AppEnv } from '../app-env.ts';

/** Sends a FHIR resource as `application/fhir+json; charset=utf-8`. */
export function fhirJson(c: Context<AppEnv>, resource: unknown, status: ContentfulStatusCode, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(resource), status, { ...headers, 'Content-Type': FHIR_JSON_CONTENT_TYPE });
}

/** @internal A fresh id for an OperationOutcome, even before services are resolved. */
function outcomeId(c: Context<AppEnv>): string {
  return c.get('services')?.newId() ?? crypto.randomUUID();
}

/** Sends a catalogue entry as its OperationOutcome with its HTTP status. */
export function sendOutcome(c: Context<AppEnv>, entry: CatalogueEntry, headers: Record<string, string> = {}): Response {
  c.set('outcomeCode', entry.details);
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

/** Names the patient and flag a request concerns, for its audit record (D-15). */
export function auditSubject(c: Context<AppEnv>, subject: { nhsNumber?: string | undefined; flagId?: string | undefined }): void {
  const current = c.get('auditSubject') ?? {};
  c.set('auditSubject', {
    ...current,
    ...(subject.nhsNumber ? { nhsNumber: subject.nhsNumber } : {}),
    ...(subject.flagId ? { flagId: subject.flagId } : {}),
  });
}

/** The base URL for Location, fullUrl and self links. */
export function baseUrlOf(c: Context<AppEnv>): string {
  return c.get('services').publicBaseUrl ?? new URL(c.req.url).origin;
}
