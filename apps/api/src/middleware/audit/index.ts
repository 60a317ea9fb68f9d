import { isAsid, isTraceId, londonDate } from '@fgm-is/rules';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.ts';
import type { AuditEvent } from '../../ports/audit-sink.ts';

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

/**
 * Audits every FGM interaction, allowed or refused (D-15): one record with
 * the time, TraceID, X-Request-ID, FromASID, the verified user, the
 * interaction, the NHS number and flag id when known, and the outcome. It
 * runs first in the chain so refusals are recorded too, and writes through
 * `waitUntil` so the response is not delayed. A failed write is logged
 * (request id only) and never changes the response.
 */
export function audit() {
  return createMiddleware<AppEnv>(async function audit(c, next) {
    await next();
    const now = c.get('now');
    const user = c.get('user');
    const subject = c.get('auditSubject');
    const traceId = c.req.header('TraceID');
    const fromAsid = c.req.header('FromASID');
    const event: AuditEvent = {
      requestId: c.get('requestId'),
      occurredAt: now.toISOString(),
      day: londonDate(now),
      interaction: c.get('interaction'),
      traceId: isTraceId(traceId) ? traceId : null,
      fromAsid: isAsid(fromAsid) ? fromAsid : null,
      userSub: user?.sub ?? null,
      userRole: user?.role ?? null,
      userOrg: user?.org ?? null,
      nhsNumber: subject?.nhsNumber ?? null,
      flagId: subject?.flagId ?? null,
      status: c.res.status,
      detailsCode: c.get('outcomeCode') ?? null,
    };
    const write = c
      .get('services')
      .audit.record(event)
      .catch((error: unknown) => {
        console.error(JSON.stringify({ level: 'error', event: 'audit_write_failed', requestId: event.requestId, error: (error as Error).name }));
      });
    await afterResponse(c, write);
  });
}
