/**
 * The audit trail of FGM interactions (D-15): one record per request,
 * allowed or refused, written without delaying the response.
 */
import { type Interaction, type LegacyInteraction, isAsid, isTraceId, londonDate } from '@fgm-is/rules';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import { log } from '../../http/logging.ts';
import { detailsCodeOf } from '../../http/outcome-code.ts';
import type { AuditChannel, AuditEvent } from '../../ports/audit-sink.ts';

/** @internal Runs a promise after the response when the runtime allows it, else before returning. */
async function afterResponse(c: Context<AppEnv>, work: Promise<void>): Promise<void> {
  let ctx: ExecutionContext | undefined;
  try {
    ctx = c.executionCtx as ExecutionContext;
  } catch {
    ctx = undefined;
  }
  if (ctx) ctx.waitUntil(work);
  else await work;
}

/** @internal A loggable name for anything a promise rejected with. */
function rejectionName(reason: unknown): string {
  if (reason instanceof Error) return reason.name;
  return reason === null ? 'null' : typeof reason;
}

/** Which interaction, on which channel, a route serves. */
export type AuditedInteraction =
  | { readonly channel: 'r4'; readonly interaction: Interaction }
  | { readonly channel: 'messaging'; readonly interaction: LegacyInteraction };

/**
 * Audits one FGM interaction (D-15, L-9). It runs before the other checks,
 * so refusals are recorded too, and builds the record in one place once the
 * response exists: the interaction it was given; on R4 the TraceID and
 * FromASID headers when well-formed and the verified user, on messaging
 * the MessageHeader id, sender ASID and author the handler noted; the
 * patient and flag the handler noted; and the status and details code
 * sent. The write goes through `waitUntil`; a failed write is logged
 * (request id and error name only) and never changes the response.
 */
export function audit(audited: AuditedInteraction) {
  const { channel, interaction } = audited;
  return createMiddleware<AppEnv>(async function audit(c, next) {
    await next();
    const now = c.get('now');
    const note = c.get('auditNote');
    const user = channel === 'r4' ? c.get('user') : note?.user;
    const traceId = channel === 'r4' ? c.req.header('TraceID') : note?.traceId;
    const fromAsid = channel === 'r4' ? c.req.header('FromASID') : note?.fromAsid;
    const event: AuditEvent = {
      requestId: c.get('requestId'),
      occurredAt: now.toISOString(),
      day: londonDate(now),
      channel: channel satisfies AuditChannel,
      interaction,
      traceId: isTraceId(traceId) ? traceId : null,
      fromAsid: isAsid(fromAsid) ? fromAsid : null,
      userSub: user?.sub ?? null,
      userRole: user?.role ?? null,
      userOrg: user?.org ?? null,
      nhsNumber: note?.nhsNumber ?? null,
      flagId: note?.flagId ?? null,
      status: c.res.status,
      detailsCode: await detailsCodeOf(c.res),
      messageBirthDate: note?.messageBirthDate ?? null,
      gpPractice: note?.gpPractice ?? null,
    };
    const write = c
      .get('services')
      .audit.record(event)
      .catch((reason: unknown) => log('error', 'audit_write_failed', { requestId: event.requestId, error: rejectionName(reason) }));
    await afterResponse(c, write);
  });
}
