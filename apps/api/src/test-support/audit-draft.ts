/**
 * Audit drafts for tests that drive the ledger directly, as a handler
 * would build them (see `src/audit/draft.ts`).
 */
import type { AuditDraft, AuditEvent } from '../audit/event.ts';

/** A well-formed draft for `requestId`; `changes` override any field. */
export function testAuditDraft(requestId: string, changes: Partial<AuditDraft> = {}): AuditDraft {
  return {
    requestId,
    occurredAt: '2026-11-21T10:00:00.000Z',
    day: '2026-11-21',
    channel: 'r4',
    interaction: 'add',
    traceId: null,
    fromAsid: '200000000001',
    userSub: '555555555555',
    userRole: 'R8000',
    userOrg: 'A12345',
    nhsNumber: null,
    messageBirthDate: null,
    gpPractice: null,
    ...changes,
  };
}

/** A complete record for `recordId` (also its request id unless changed): a search answered 200, unless `changes` say otherwise. */
export function testAuditEvent(recordId: string, changes: Partial<AuditEvent> = {}): AuditEvent {
  return { ...testAuditDraft(recordId), recordId, status: 200, detailsCode: null, flagId: null, ...changes };
}
