import type { FlagLedger, LedgerOutcome } from '../../ledger/flag-ledger.ts';
import type { LedgerResult } from '../../ledger/patient-ledger.ts';
import { DependencyUnavailableError } from '../../ports/errors.ts';
import type { FlagWriter } from '../../ports/flag-writer.ts';

/**
 * The production {@link FlagWriter}: each NHS number's Add and Remove go to
 * the {@link FlagLedger} Durable Object of that name. A failure to reach it,
 * or one it reports, is a dependency failure (503), never a rule result.
 */
export function durableFlagWriter(namespace: DurableObjectNamespace<FlagLedger>): FlagWriter {
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
    remove: (command) => call(() => namespace.getByName(command.nhsNumber).remove(command)),
  };
}
