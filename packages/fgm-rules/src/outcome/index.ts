/**
 * Catalogue entries as FHIR R4 OperationOutcomes (D-12); the HTTP status is
 * the entry's own `status`.
 */
import { type CatalogueEntry, SPINE_CODE_SYSTEM } from '../catalogue/index.ts';
import type { OperationOutcome } from '../fhir/index.ts';

/**
 * Turns a catalogue entry into the FHIR R4 OperationOutcome the client receives.
 *
 * @param entry The catalogue entry.
 * @param id The server-assigned OperationOutcome id (inject a UUID; Spine always populates it).
 */
export function toOperationOutcome(entry: CatalogueEntry, id: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    id,
    issue: [
      {
        severity: entry.severity,
        code: entry.code,
        details: { coding: [{ system: SPINE_CODE_SYSTEM, code: entry.details, display: entry.display }] },
        diagnostics: entry.diagnostics,
      },
    ],
  };
}

/** The informational outcomes returned for `Prefer: return=OperationOutcome` (D-1). */
export type InformationalKind = 'RESOURCE_CREATED' | 'RESOURCE_UPDATED';

const INFORMATIONAL_TEXT: Readonly<Record<InformationalKind, string>> = {
  RESOURCE_CREATED: 'Successfully created resource with ID: ',
  RESOURCE_UPDATED: 'Successfully updated resource with ID: ',
};

/**
 * The informational OperationOutcome for a created or updated Flag (D-1, D-12):
 * severity `information`, code `informational`, display and diagnostics naming the id.
 */
export function informationalOutcome(kind: InformationalKind, resourceId: string, id: string): OperationOutcome {
  const text = INFORMATIONAL_TEXT[kind] + resourceId;
  return {
    resourceType: 'OperationOutcome',
    id,
    issue: [
      {
        severity: 'information',
        code: 'informational',
        details: { coding: [{ system: SPINE_CODE_SYSTEM, code: kind, display: text }] },
        diagnostics: text,
      },
    ],
  };
}
