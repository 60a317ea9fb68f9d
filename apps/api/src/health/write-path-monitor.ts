/**
 * {@link WritePathHealth} on one Durable Object, `WritePathMonitor`: the
 * ledgers' trouble reports, independent of the stores whose failures they
 * report (KV, D1), strongly consistent for `/_status`, and touched only when
 * a ledger fails or recovers.
 */
import { DurableObject } from 'cloudflare:workers';
import { guardDependency } from '../ports/errors.ts';
import type { WritePathHealth, WritePathReport, WritePathTrouble } from '../ports/write-path-health.ts';

/** How long a report lasts unless renewed: longer than the ledger's longest retry delay (5 minutes), so a ledger still failing keeps it. */
const REPORT_LIFETIME_MS = 15 * 60_000;
/** The one monitor object's name. */
const MONITOR = 'write-path';
/** Storage keys: `report:{ledger}:{kind}`, one report per ledger and kind. */
const prefixOf = (ledger: string) => `report:${ledger}:`;

/** The Durable Object holding the reports of troubled ledgers (by object id, never an NHS number), one per kind. */
export class WritePathMonitor extends DurableObject<Env> {
  /** Records a ledger's trouble, replacing its earlier report of that kind. */
  async report(ledger: string, trouble: WritePathTrouble): Promise<void> {
    await this.ctx.storage.put(`${prefixOf(ledger)}${trouble.kind}`, { ...trouble, ledger } satisfies WritePathReport);
  }

  /** Forgets every report of a ledger. */
  async clear(ledger: string): Promise<void> {
    const keys = [...(await this.ctx.storage.list({ prefix: prefixOf(ledger) })).keys()];
    if (keys.length > 0) await this.ctx.storage.delete(keys);
  }

  /** The reports made within their lifetime of `now` (ISO instant); older ones are deleted. */
  async list(now: string): Promise<WritePathReport[]> {
    const reports = await this.ctx.storage.list<WritePathReport>({ prefix: 'report:' });
    const oldest = Date.parse(now) - REPORT_LIFETIME_MS;
    const lapsed = [...reports].filter(([, report]) => Date.parse(report.at) < oldest).map(([key]) => key);
    if (lapsed.length > 0) await this.ctx.storage.delete(lapsed);
    return [...reports].filter(([key]) => !lapsed.includes(key)).map(([, report]) => report);
  }
}

/** The write path's health reports in the `WRITE_PATH_MONITOR` namespace. */
export function durableWritePathHealth(namespace: DurableObjectNamespace<WritePathMonitor>, now: () => Date = () => new Date()): WritePathHealth {
  const monitor = () => namespace.getByName(MONITOR);
  return {
    report: (ledger, trouble) => guardDependency('monitor', () => monitor().report(ledger, trouble)),
    clear: (ledger) => guardDependency('monitor', () => monitor().clear(ledger)),
    list: () => guardDependency('monitor', async () => (await monitor().list(now().toISOString())) as WritePathReport[]),
  };
}
