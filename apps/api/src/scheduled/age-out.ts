import type { FlagStore } from '../ports/flag-store.ts';

/** What an age-out run did. */
export interface AgeOutReport {
  readonly scanned: number;
  readonly removed: number;
}

/**
 * Age-out (D-13): removes from the search index every flag whose patient has
 * turned 18 by `today` (Europe/London). The flags stay readable by id.
 */
export async function ageOut(flags: FlagStore, today: string): Promise<AgeOutReport> {
  let scanned = 0;
  let removed = 0;
  let cursor: string | undefined;
  do {
    const page = await flags.listIndex(cursor);
    for (const entry of page.entries) {
      scanned++;
      if (entry.agesOutOn <= today) {
        await flags.removeFromIndex(entry.nhsNumber, entry.flagId);
        removed++;
      }
    }
    cursor = page.cursor;
  } while (cursor);
  return { scanned, removed };
}
