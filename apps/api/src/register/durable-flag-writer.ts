/**
 * The production {@link FlagWriter}: each NHS number's Add and Remove go to
 * the {@link FlagLedger} Durable Object of that name.
 */
import { DependencyUnavailableError } from '../ports/errors.ts';
import type { FlagLocator } from '../ports/flag-locator.ts';
import type { FlagStore } from '../ports/flag-store.ts';
import type { AnswerProbe } from '../ports/health.ts';
import type { FlagWriter } from './flag-writer.ts';
import { type LedgerOutcome, type LedgerResult, flagOwner, removeUnknownFlag } from './patient-ledger.ts';

/**
 * A writer over the `FlagLedger` namespace. A Remove finds its patient's
 * ledger from the flag store, or the locator when the store does not know
 * the id yet (D-26); an id no ledger holds is refused here, as the ledger
 * would refuse it. A failure to reach the object, or one it reports, is a
 * dependency failure (503), never a rule result.
 */
export function durableFlagWriter(namespace: Env['FLAG_LEDGER'], flags: FlagStore, locator: FlagLocator): FlagWriter {
  // RPC results arrive as structured clones; the stub's mapped type does not keep the union, so it is restated here.
  const call = async (run: () => Promise<unknown>): Promise<LedgerResult> => {
    let outcome: LedgerOutcome;
    try {
      outcome = (await run()) as LedgerOutcome;
    } catch (cause) {
      throw new DependencyUnavailableError('ledger', { cause });
    }
    if ('unavailable' in outcome) throw new DependencyUnavailableError(outcome.unavailable);
    return outcome;
  };
  return {
    add: (command) => call(() => namespace.getByName(command.request.nhsNumber).add(command)),
    async remove(command) {
      const nhsNumber = await flagOwner(flags, locator, command.id);
      if (nhsNumber === null) return removeUnknownFlag(command);
      return { ...(await call(() => namespace.getByName(nhsNumber).remove(nhsNumber, command))), nhsNumber };
    },
    removeActive: (command) => call(() => namespace.getByName(command.nhsNumber).removeActive(command)),
  };
}

/** The ledger namespace answers an RPC (D-22): an object that holds no patient, asked to `ping`. */
export function ledgerProbe(namespace: Env['FLAG_LEDGER']): AnswerProbe {
  return {
    name: 'durable-object:ledger',
    async probe() {
      await namespace.getByName('health-probe').ping();
    },
  };
}
