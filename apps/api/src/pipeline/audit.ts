/**
 * The audit trail of FGM interactions (D-15, L-9): one record per request,
 * allowed or refused, written without delaying the response.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { EnvWith } from '../app-env.ts';
import { type AuditSubject, type AuditedInteraction, completeAudit, draftAudit } from '../audit/draft.ts';
import type { AuditDraft } from '../audit/event.ts';
import { errorName, log } from '../log/index.ts';
import { afterResponse } from './after-response.ts';
import type { UserVariables } from './authenticate.ts';
import type { HeadVariables } from './head-parameters.ts';

/** What {@link audit} sets: the interaction its route serves, for the handlers that draft a change's record. */
export interface AuditVariables {
  audited: AuditedInteraction;
}

/** @internal The environment the audit step reads: its own variable, and the head parameters and user when later steps checked them. */
type AuditEnv = EnvWith<AuditVariables & Partial<HeadVariables> & Partial<UserVariables>>;

/**
 * The request's audit record as far as it has got (see `draftAudit`), from
 * what the request says and what its answer found it to concern: the one
 * place the pipeline drafts a record, for a write's handler before the
 * ledger commits it and for this step after every other answer.
 */
export function requestAuditDraft<E extends AuditEnv>(context: Context<E>, subject: AuditSubject): AuditDraft {
  const c = context as unknown as Context<AuditEnv>;
  const audited = c.get('audited');
  const user = c.get('user');
  // The head parameters as checked when the request got that far; as sent (each is recorded only if well-formed) when it did not.
  const head = c.get('head');
  const headers =
    audited.channel === 'r4'
      ? { traceId: head ? head.traceId : c.req.header('TraceID'), fromAsid: head ? head.fromAsid : c.req.header('FromASID'), user }
      : undefined;
  return draftAudit({ requestId: c.get('requestId'), now: c.get('now'), audited, ...(headers ? { headers } : {}) }, subject);
}

/**
 * Audits one FGM interaction (D-15, L-9). It runs before the other checks,
 * so refusals are recorded too. Once the answer exists, its record is made
 * from what the answer carries (`answered`: status, details code, subject),
 * unless the ledger committed it with the change. The record goes to the
 * audit sink through `waitUntil`; a sink failure is logged (request id and
 * error name only) and never changes the response.
 */
export function audit(audited: AuditedInteraction) {
  return createMiddleware<AuditEnv>(async function audit(c, next) {
    c.set('audited', audited);
    await next();
    const answered = c.get('answered');
    if (answered?.committed) return;
    const subject = answered?.subject ?? {};
    const { audit: sink, newId } = c.get('services');
    const event = completeAudit(requestAuditDraft(c, subject), {
      recordId: newId(),
      status: c.res.status,
      detailsCode: answered?.code ?? null,
      flagId: subject.flagId ?? null,
    });
    await afterResponse(c, () =>
      sink.record(event).catch((reason: unknown) => log('error', 'audit_write_failed', { requestId: event.requestId, error: errorName(reason) })),
    );
  });
}
