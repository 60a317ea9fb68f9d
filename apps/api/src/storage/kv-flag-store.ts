import type { FlagRecord } from '@fgm-is/rules';
import { guardDependency } from '../ports/errors.ts';
import type { FlagStore, SearchIndexEntry } from '../ports/flag-store.ts';
import { ACTIVE_PREFIX, activeKey, flagKey } from './keys.ts';

/** Metadata stored with a search-index key so the age-out job reads no values. */
interface IndexMetadata {
  readonly flagId: string;
  readonly agesOutOn: string;
}

/**
 * A {@link FlagStore} on one Workers KV namespace.
 *
 * - `flag:{id}` → the {@link FlagRecord} (read, remove).
 * - `active:{nhsNumber}` → the same record while it is active, metadata
 *   `{ flagId, agesOutOn }` (search: one read).
 *
 * `create` and `update` write by id first, then the index. The ledger
 * projects a committed change with `putFlag` and `putIndex` (or
 * `removeFromIndex`) at once, and repeats them until all succeed (ADR 0002).
 */
export function kvFlagStore(kv: KVNamespace): FlagStore {
  const readRecord = (key: string) => guardDependency('kv', () => kv.get<FlagRecord>(key, 'json'));

  const putFlag = async (record: FlagRecord) => {
    await guardDependency('kv', () => kv.put(flagKey(record.flag.id), JSON.stringify(record)));
  };
  const putIndex = async (record: FlagRecord) => {
    const metadata: IndexMetadata = { flagId: record.flag.id, agesOutOn: record.agesOutOn };
    await guardDependency('kv', () => kv.put(activeKey(record.nhsNumber), JSON.stringify(record), { metadata }));
  };

  /** Writes the record by id, then makes the index agree: the record while active, nothing once removed. */
  const write = async (record: FlagRecord) => {
    await putFlag(record);
    if (record.flag.status === 'active') await putIndex(record);
    else await guardDependency('kv', () => kv.delete(activeKey(record.nhsNumber)));
  };

  return {
    getById: (id) => readRecord(flagKey(id)),
    getActive: (nhsNumber) => readRecord(activeKey(nhsNumber)),

    // A new flag is active, so creating it is the same write as storing an active version.
    create: (record) => write(record),
    update: (record) => write(record),
    putFlag,
    putIndex,

    async discard(id) {
      await guardDependency('kv', () => kv.delete(flagKey(id)));
    },

    async listIndex(cursor) {
      const page = await guardDependency('kv', () => kv.list<IndexMetadata>({ prefix: ACTIVE_PREFIX, ...(cursor ? { cursor } : {}) }));
      const entries: SearchIndexEntry[] = page.keys.flatMap((key) =>
        key.metadata ? [{ nhsNumber: key.name.slice(ACTIVE_PREFIX.length), flagId: key.metadata.flagId, agesOutOn: key.metadata.agesOutOn }] : [],
      );
      return page.list_complete ? { entries } : { entries, cursor: page.cursor };
    },

    async removeFromIndex(nhsNumber, flagId) {
      if (flagId !== undefined) {
        const current = await guardDependency('kv', () => kv.getWithMetadata<IndexMetadata>(activeKey(nhsNumber)));
        if (current.value !== null && current.metadata?.flagId !== flagId) return;
      }
      await guardDependency('kv', () => kv.delete(activeKey(nhsNumber)));
    },
  };
}
