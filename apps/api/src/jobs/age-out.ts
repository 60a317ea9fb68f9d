import type { FlagStore } from '../ports/flag-store.ts';

/** What an age-out run did. */
export interface AgeOutReport {
  readonly scanned: number;
  readonly removed: number;
}

/** Index entries removed at once: each removal is a read and a delete, and a page holds up to 1,000 entries. */
const REMOVALS_AT_ONCE = 50;

/**
 * Age-out (D-13): removes from the search index every flag whose patient has
 * turned 18 by `today` (Europe/London). The flags stay readable by id. Each
 * page's due entries are removed {@link REMOVALS_AT_ONCE} at a time (one
 * patient each, so they cannot interfere), rather than one after another.
 */
export async function ageOut(flags: FlagStore, today: string): Promise<AgeOutReport> {
  let scanned = 0;
  let removed = 0;
  let cursor: string | undefined;
  do {
    const page = await flags.listIndex(cursor);
    scanned += page.entries.length;
    const due = page.entries.filter((entry) => entry.agesOutOn <= today);
    for (let i = 0; i < due.length; i += REMOVALS_AT_ONCE) {
      await Promise.all(due.slice(i, i + REMOVALS_AT_ONCE).map((entry) => flags.removeFromIndex(entry.nhsNumber, entry.flagId)));
    }
    removed += due.length;
    cursor = page.cursor;
  } while (cursor);
  return { scanned, removed };
}
