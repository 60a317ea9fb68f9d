/**
 * The error catalogues as tables, for the docs page and for
 * `docs/contract/error-catalogue.md`: straight from `@fgm-is/rules`, in
 * catalogue order, so neither is ever written by hand.
 */
import { LEGACY_ERRORS, LEGACY_MAPPING, catalogueEntries } from '@fgm-is/rules';

/** A table: its column headings and its rows of cells (plain text). */
export interface Table {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The R4 catalogue (spec §8 and the decisions): every error the R4 API can return. */
export function r4CatalogueTable(): Table {
  return {
    head: ['Row', 'Source', 'HTTP', 'severity', 'issue.code', 'details.code', 'details.display', 'diagnostics'],
    rows: catalogueEntries.map((e) => [e.key, e.source, String(e.status), e.severity, e.code, e.details, e.display, e.diagnostics]),
  };
}

/** The legacy error table (L§3, L-2, L-4, L-8): every error the legacy messaging endpoints can return; the diagnostics vary. */
export function legacyCatalogueTable(): Table {
  return {
    head: ['Row', 'Source', 'HTTP', 'severity', 'issue type', 'code', 'display'],
    rows: Object.values(LEGACY_ERRORS).map((r) => [r.key, r.source, String(r.status), r.severity, r.issueType, r.code, r.display]),
  };
}

/** The second mapping (L-1): which R4 decision becomes which legacy row on the legacy endpoints, with its diagnostics. */
export function legacyMappingTable(): Table {
  return {
    head: ['R4 row', 'Legacy row', 'HTTP', 'diagnostics'],
    rows: Object.entries(LEGACY_MAPPING).flatMap(([key, outcome]) =>
      outcome ? [[key, outcome.key, String(outcome.status), outcome.diagnostics]] : [],
    ),
  };
}
