/**
 * {@link WritePathHealth} on Workers KV: one key per troubled ledger under
 * `health:write-path:`, the report in its metadata (so listing reads no
 * values), expiring by itself after {@link REPORT_TTL_SECONDS}.
 */
import { guardDependency } from '../../ports/errors.ts';
import type { WritePathHealth, WritePathTrouble } from '../../ports/write-path-health.ts';
import { WRITE_PATH_HEALTH_PREFIX } from '../storage-keys.ts';

/** How long a report lasts unless renewed: longer than the ledger's longest retry delay (5 minutes), so a ledger still failing keeps it. */
const REPORT_TTL_SECONDS = 900;

/** The write path's health reports in a KV namespace (the flag namespace, beside the health probe's key). */
export function kvWritePathHealth(kv: KVNamespace): WritePathHealth {
  return {
    async report(ledger, trouble) {
      await guardDependency('kv', () => kv.put(`${WRITE_PATH_HEALTH_PREFIX}${ledger}`, '', { metadata: trouble, expirationTtl: REPORT_TTL_SECONDS }));
    },
    async clear(ledger) {
      await guardDependency('kv', () => kv.delete(`${WRITE_PATH_HEALTH_PREFIX}${ledger}`));
    },
    async list() {
      const troubles: WritePathTrouble[] = [];
      let cursor: string | undefined;
      do {
        const page = await guardDependency('kv', () =>
          kv.list<WritePathTrouble>({ prefix: WRITE_PATH_HEALTH_PREFIX, ...(cursor ? { cursor } : {}) }),
        );
        for (const key of page.keys) if (key.metadata) troubles.push(key.metadata);
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return troubles;
    },
  };
}
