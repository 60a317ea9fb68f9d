/**
 * Completing an audit record with its id and outcome: the one step the
 * audit middleware and the ledger share.
 */
import type { AuditDraft, AuditEvent } from './event.ts';

/** What completes a draft: the record's id and the outcome. */
export interface AuditOutcome {
  readonly recordId: string;
  readonly status: number;
  readonly detailsCode: string | null;
  readonly flagId: string | null;
  readonly nhsNumber?: string | null;
}

/** A draft completed with its id and outcome: the record as it is stored. */
export function completeAudit(draft: AuditDraft, outcome: AuditOutcome): AuditEvent {
  return {
    ...draft,
    recordId: outcome.recordId,
    nhsNumber: outcome.nhsNumber ?? draft.nhsNumber,
    status: outcome.status,
    detailsCode: outcome.detailsCode,
    flagId: outcome.flagId,
  };
}

/**
 * The id of a committed change's record: one per flag version, so the
 * ledger shipping it twice (or a retry of the request) stores it once, and
 * it never collides with the record of the response the client got.
 */
export function changeRecordId(flagId: string, versionId: string): string {
  return `change:${flagId}:${versionId}`;
}
