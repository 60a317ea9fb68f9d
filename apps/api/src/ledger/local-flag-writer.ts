import type { FlagStore } from '../ports/flag-store.ts';
import type { FlagWriter } from '../ports/flag-writer.ts';
import { type LedgerResult, type LedgerState, PatientLedger } from './patient-ledger.ts';

/**
 * A {@link FlagWriter} that runs the same {@link PatientLedger} in this
 * isolate, with state in memory and a per-patient queue as the
 * serialisation point. Correct within one process (tests, a single-instance
 * host); on Workers the Durable Object writer is the one to use.
 */
export function localFlagWriter(flags: FlagStore): FlagWriter {
  const states = new Map<string, LedgerState>();
  const queues = new Map<string, Promise<unknown>>();

  const exclusive = (nhsNumber: string, run: (ledger: PatientLedger) => Promise<LedgerResult>): Promise<LedgerResult> => {
    const ledger = new PatientLedger(
      nhsNumber,
      { get: async () => states.get(nhsNumber), put: async (state) => void states.set(nhsNumber, state) },
      flags,
    );
    const previous = queues.get(nhsNumber) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => run(ledger));
    queues.set(nhsNumber, next);
    return next;
  };

  return {
    add: (command) => exclusive(command.request.nhsNumber, (ledger) => ledger.add(command)),
    remove: (command) => exclusive(command.nhsNumber, (ledger) => ledger.remove(command)),
  };
}
