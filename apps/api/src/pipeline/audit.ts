/**
 * The audit trail of FGM interactions (D-15, L-9): one record per request,
 * allowed or refused, written without delaying the response.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { completeAudit } from '../audit/complete.ts';
import { afterResponse } from './after-response.ts';
import { type AuditedInteraction, auditDraft } from '../audit/draft.ts';
import { detailsCodeOf } from './outcome-code.ts';
import { errorName, log } from '../log/index.ts';

/**
 * Audits one FGM interaction (D-15, L-9). It runs before the other checks,
 * so refusals are recorded too, and once the response exists completes the
 * request's audit draft (see `auditDraft`) with the status and details code
 * that were sent and the flag the handler noted. A change the ledger
 * committed carries its record in the same commit (its outbox); the handler
 * notes that, and nothing is recorded twice. Every other record goes to the
 * audit sink through `waitUntil`; a sink failure is logged (request id and
 * error name only) and never changes the response.
 */
export function audit(audited: AuditedInteraction) {
  return createMiddleware<AppEnv>(async function audit(c, next) {
    await next();
    const note = c.get('auditNote');
    if (note?.recordedWithChange) return;
    // What the response says is taken now (its details code from a clone); the record is completed and sent after it has gone.
    const draft = auditDraft(c, audited);
    const status = c.res.status;
    const detailsCode = detailsCodeOf(c.res);
    const { audit: sink, newId } = c.get('services');
    const recordId = newId();
    await afterResponse(c, async () => {
      const event = completeAudit(draft, { recordId, status, detailsCode: await detailsCode, flagId: note?.flagId ?? null });
      await sink
        .record(event)
        .catch((reason: unknown) => log('error', 'audit_write_failed', { requestId: event.requestId, error: errorName(reason) }));
    });
  });
}
