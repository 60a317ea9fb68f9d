/**
 * A {@link FlagWriter} that runs the {@link PatientLedger} in this isolate,
 * for tests and single-process hosts.
 */
import type { AuditEvent } from '../audit/event.ts';
import type { FlagLocator } from '../ports/flag-locator.ts';
import type { FlagStore } from '../ports/flag-store.ts';
import type { FlagWriter } from './flag-writer.ts';
import { type LedgerResult, type LedgerState, PatientLedger, flagOwner, removeUnknownFlag } from './patient-ledger.ts';

/**
 * The same ledger code the Durable Object runs, with state in memory and a
 * per-patient queue as the serialisation point; each committed audit record
 * is handed to `ship` (kept in `outbox` until it takes it). Correct within
 * one process; on Workers the Durable Object writer is the one to use.
 */
export function localFlagWriter(
  flags: FlagStore,
  locator: FlagLocator = memoryFlagLocator(),
  ship: (record: AuditEvent) => Promise<void> = async () => {},
): FlagWriter & { readonly outbox: ReadonlyMap<string, AuditEvent> } {
  const ledgers = new Map<string, PatientLedger>();
  const outbox = new Map<string, AuditEvent>();
  const queues = new Map<string, Promise<unknown>>();

  const ledgerOf = (nhsNumber: string): PatientLedger => {
    let ledger = ledgers.get(nhsNumber);
    if (!ledger) {
      let state: LedgerState | undefined;
      ledger = new PatientLedger(
        nhsNumber,
        {
          get: async () => state,
          // No alarms in one process: the next operation for the patient finishes a projection first.
          commit: async (next, record) => {
            state = next;
            outbox.set(record.recordId, record);
            await ship(record).then(
              () => outbox.delete(record.recordId),
              () => undefined,
            );
          },
        },
        flags,
        locator,
      );
      ledgers.set(nhsNumber, ledger);
    }
    return ledger;
  };

  const exclusive = (nhsNumber: string, run: (ledger: PatientLedger) => Promise<LedgerResult>): Promise<LedgerResult> => {
    const previous = queues.get(nhsNumber) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => run(ledgerOf(nhsNumber)));
    queues.set(nhsNumber, next);
    return next;
  };

  return {
    outbox,
    add: (command) => exclusive(command.request.nhsNumber, (ledger) => ledger.add(command)),
    async remove(command) {
      const nhsNumber = await flagOwner(flags, locator, command.id);
      if (nhsNumber === null) return removeUnknownFlag(command);
      return { ...(await exclusive(nhsNumber, (ledger) => ledger.remove(command))), nhsNumber };
    },
    removeActive: (command) => exclusive(command.nhsNumber, (ledger) => ledger.removeActive(command)),
  };
}

/** A {@link FlagLocator} in this isolate's memory (strongly consistent within one process). */
export function memoryFlagLocator(): FlagLocator {
  const owners = new Map<string, string>();
  return {
    async record(id, nhsNumber) {
      owners.set(id, owners.get(id) ?? nhsNumber);
    },
    async owner(id) {
      return owners.get(id) ?? null;
    },
  };
}
