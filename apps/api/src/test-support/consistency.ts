import { env } from 'cloudflare:workers';
/**
 * The D-14 invariants, checked over the whole FLAGS namespace.
 *
 * @internal Test support only.
 */
import type { FlagRecord } from '@fgm-is/rules';
import { expect } from 'vitest';
import { ACTIVE_PREFIX, flagKey } from '../storage/keys.ts';

/**
 * Asserts the invariants of D-14 over the whole FLAGS namespace: at most one
 * active flag per patient, and the search index holds exactly each
 * patient's active flag (same version), nothing else.
 */
export async function expectConsistentStore(): Promise<{ active: number; removed: number }> {
  const byId = new Map<string, FlagRecord>();
  const index = new Map<string, FlagRecord>();
  let cursor: string | undefined;
  do {
    const page = await env.FLAGS.list(cursor ? { cursor } : {});
    for (const key of page.keys) {
      const record = await env.FLAGS.get<FlagRecord>(key.name, 'json');
      if (!record) continue;
      if (key.name === flagKey(record.flag.id)) byId.set(record.flag.id, record);
      if (key.name.startsWith(ACTIVE_PREFIX)) index.set(key.name.slice(ACTIVE_PREFIX.length), record);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);

  const activeByPatient = new Map<string, FlagRecord[]>();
  for (const record of byId.values()) {
    if (record.flag.status === 'active') activeByPatient.set(record.nhsNumber, [...(activeByPatient.get(record.nhsNumber) ?? []), record]);
  }
  for (const [nhsNumber, active] of activeByPatient) {
    expect(active, `patient ${nhsNumber} has more than one active flag`).toHaveLength(1);
    expect(index.get(nhsNumber), `index of ${nhsNumber}`).toEqual(active[0]);
  }
  for (const [nhsNumber, record] of index) {
    expect(byId.get(record.flag.id), `indexed flag of ${nhsNumber} is stored by id`).toEqual(record);
  }
  const active = [...activeByPatient.values()].length;
  return { active, removed: byId.size - active };
}
