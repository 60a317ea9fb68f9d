/**
 * Completing an audit record with its outcome: the one step the audit
 * middleware and the ledger share.
 */
import type { AuditDraft, AuditEvent } from '../ports/audit-sink.ts';

/** A draft completed with the outcome: the record as it is stored. */
export function completeAudit(
  draft: AuditDraft,
  outcome: { readonly status: number; readonly detailsCode: string | null; readonly flagId: string | null; readonly nhsNumber?: string | null },
): AuditEvent {
  return {
    ...draft,
    nhsNumber: outcome.nhsNumber ?? draft.nhsNumber,
    status: outcome.status,
    detailsCode: outcome.detailsCode,
    flagId: outcome.flagId,
  };
}
