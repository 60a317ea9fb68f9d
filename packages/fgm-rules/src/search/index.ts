/**
 * Search (D-10): `GET /Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}`.
 */
import { catalogue } from '../catalogue/index.ts';
import type { FgmFlag, SearchBundle } from '../fhir/index.ts';
import { type FlagRecord, NHS_NUMBER_SYSTEM, isCurrentFlag } from '../flag/index.ts';
import { isValidNhsNumber } from '../nhs-number/index.ts';
import { type Result, fail, ok } from '../result/index.ts';

/** The one search parameter FGM-IS defines. */
export const SEARCH_PARAMETER = 'patient:identifier';

/** Anything that lists query parameter values by name, such as `URLSearchParams`. */
export interface QuerySource {
  getAll(name: string): string[];
}

/**
 * Parses the search query (D-10). URLSearchParams has already decoded a
 * percent-encoded `|`. Unknown parameters are ignored.
 *
 * @returns the NHS number searched for, or S1.
 */
export function parseSearchQuery(query: QuerySource): Result<{ nhsNumber: string }> {
  const values = query.getAll(SEARCH_PARAMETER);
  if (values.length !== 1) return fail(catalogue.S1);
  const token = values[0] as string;
  const bar = token.indexOf('|');
  if (bar < 0 || token.slice(0, bar) !== NHS_NUMBER_SYSTEM) return fail(catalogue.S1);
  const nhsNumber = token.slice(bar + 1);
  return isValidNhsNumber(nhsNumber) ? ok({ nhsNumber }) : fail(catalogue.S1);
}

/** The Flag search returns for a stored record on `today`: only a current one (D-10, D-13). */
export function searchMatch(record: FlagRecord | null | undefined, today: string): FgmFlag | undefined {
  return record && isCurrentFlag(record, today) ? record.flag : undefined;
}

/** Inputs of {@link buildSearchBundle}. */
export interface SearchBundleInput {
  /** Fresh UUID for `Bundle.id`. */
  readonly id: string;
  /** ISO instant for `meta.lastUpdated`. */
  readonly lastUpdated: string;
  /** The service base URL, without a trailing slash (e.g. `https://host`). */
  readonly baseUrl: string;
  readonly nhsNumber: string;
  /** The matching flag, if any. */
  readonly match: FgmFlag | undefined;
}

/** Builds the searchset Bundle (D-10): total 1 with one entry, or total 0 with no `entry`. */
export function buildSearchBundle(input: SearchBundleInput): SearchBundle {
  const self = { relation: 'self', url: `${input.baseUrl}/Flag?${SEARCH_PARAMETER}=${NHS_NUMBER_SYSTEM}|${input.nhsNumber}` } as const;
  const bundle: SearchBundle = {
    resourceType: 'Bundle',
    id: input.id,
    meta: { lastUpdated: input.lastUpdated },
    type: 'searchset',
    total: input.match ? 1 : 0,
    link: [self],
  };
  if (input.match) {
    bundle.entry = [{ fullUrl: `${input.baseUrl}/Flag/${input.match.id}`, resource: input.match, search: { mode: 'match' } }];
  }
  return bundle;
}
