/**
 * {@link WritePathHealth} on one Durable Object, `WritePathMonitor`: the
 * ledgers' trouble reports, independent of the stores whose failures they
 * report (KV, D1), strongly consistent for `/_status`, and touched only when
 * a ledger fails or recovers.
 */
import { DurableObject } from 'cloudflare:workers';
import { guardDependency } from '../../ports/errors.ts';
import type { WritePathHealth, WritePathTrouble } from '../../ports/write-path-health.ts';

/** How long a report lasts unless renewed: longer than the ledger's longest retry delay (5 minutes), so a ledger still failing keeps it. */
const REPORT_LIFETIME_MS = 15 * 60_000;
/** The one monitor object's name. */
const MONITOR = 'write-path';
const keyOf = (ledger: string) => `ledger:${ledger}`;

/** The Durable Object holding one report per troubled ledger (by its object id, never an NHS number). */
export class WritePathMonitor extends DurableObject<Env> {
  /** Records a ledger's trouble, replacing its earlier report. */
  async report(ledger: string, trouble: WritePathTrouble): Promise<void> {
    await this.ctx.storage.put(keyOf(ledger), trouble);
  }

  /** Forgets a ledger's report. */
  async clear(ledger: string): Promise<void> {
    await this.ctx.storage.delete(keyOf(ledger));
  }

  /** The reports made within their lifetime of `now` (ISO instant); older ones are deleted. */
  async list(now: string): Promise<WritePathTrouble[]> {
    const reports = await this.ctx.storage.list<WritePathTrouble>({ prefix: 'ledger:' });
    const oldest = Date.parse(now) - REPORT_LIFETIME_MS;
    const lapsed = [...reports].filter(([, trouble]) => Date.parse(trouble.at) < oldest).map(([key]) => key);
    if (lapsed.length > 0) await this.ctx.storage.delete(lapsed);
    return [...reports].filter(([key]) => !lapsed.includes(key)).map(([, trouble]) => trouble);
  }
}

/** The write path's health reports in the `WRITE_PATH_MONITOR` namespace. */
export function durableWritePathHealth(namespace: DurableObjectNamespace<WritePathMonitor>, now: () => Date = () => new Date()): WritePathHealth {
  const monitor = () => namespace.getByName(MONITOR);
  return {
    report: (ledger, trouble) => guardDependency('monitor', () => monitor().report(ledger, trouble)),
    clear: (ledger) => guardDependency('monitor', () => monitor().clear(ledger)),
    list: () => guardDependency('monitor', async () => (await monitor().list(now().toISOString())) as WritePathTrouble[]),
  };
}
