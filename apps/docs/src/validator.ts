/**
 * The live validator's decision, run in the browser by the docs page: an
 * Add body decided by `@fgm-is/rules` in the server's own order, without a
 * request.
 */
import {
  type CatalogueEntry,
  type FlagRecord,
  type OperationOutcome,
  buildActiveFlag,
  checkBodySize,
  decideAdd,
  eighteenthBirthday,
  londonDate,
  parseJsonBody,
  toOperationOutcome,
  validateAddBody,
} from '@fgm-is/rules';
import type { SandboxDirectory } from './page-data.ts';

/** The verdict: the OperationOutcome the server would send with its status, or the body passes (201). */
export type Verdict =
  | { readonly valid: true; readonly status: 201 }
  | { readonly valid: false; readonly status: number; readonly outcome: OperationOutcome };

/** @internal The refusal of a catalogue entry, with a fresh id as the server assigns. */
const refuse = (entry: CatalogueEntry, id: string): Verdict => ({ valid: false, status: entry.status, outcome: toOperationOutcome(entry, id) });

/** @internal The patient's flag as the sandbox ledger starts with it. */
function activeFlagOf(directory: SandboxDirectory, nhsNumber: string): FlagRecord | null {
  const flag = directory.flags.find((f) => f.nhsNumber === nhsNumber);
  const birthDate = directory.patients[nhsNumber]?.birthDate;
  const agesOutOn = birthDate ? eighteenthBirthday(birthDate) : undefined;
  return flag && agesOutOn ? { flag: buildActiveFlag(flag), nhsNumber, agesOutOn } : null;
}

/**
 * Decides an Add body as the server does, in its order: size (413), JSON
 * (400), the body checks of D-6; then, given the sandbox directory, the
 * patient's decision (D-6, D-7, D-19) as a freshly seeded sandbox makes it.
 */
export function decideAddBody(text: string, now: Date, directory?: SandboxDirectory, newId: () => string = () => crypto.randomUUID()): Verdict {
  const size = checkBodySize(new TextEncoder().encode(text).byteLength);
  if (!size.ok) return refuse(size.error, newId());
  const parsed = parseJsonBody(text);
  if (!parsed.ok) return refuse(parsed.error, newId());
  const today = londonDate(now);
  const request = validateAddBody(parsed.value, today);
  if (!request.ok) return refuse(request.error, newId());
  if (!directory) return { valid: true, status: 201 };
  const { nhsNumber } = request.value;
  const decision = decideAdd({
    request: request.value,
    patient: directory.patients[nhsNumber] ?? null,
    activeFlag: activeFlagOf(directory, nhsNumber),
    today,
    id: newId(),
    now: now.toISOString(),
  });
  return decision.ok ? { valid: true, status: 201 } : refuse(decision.error, newId());
}
