/**
 * The audit record of a request as far as the request has got (D-15, L-9),
 * built in one place from the facts the chain has gathered: the audit
 * middleware completes it with the response; a write hands it to the ledger,
 * which completes it with the change it commits.
 */
import { type Interaction, type LegacyInteraction, isAsid, isTraceId, londonDate, messageTraceId } from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AuditChannel, AuditDraft } from './event.ts';

/** Which interaction, on which channel, a route serves. */
export type AuditedInteraction =
  | { readonly channel: 'r4'; readonly interaction: Interaction }
  | { readonly channel: 'messaging'; readonly interaction: LegacyInteraction };

/**
 * @internal The TraceID to record: on R4 the `TraceID` header when D-3
 * accepts it (the rule the head-parameter check applies); on messaging the
 * MessageHeader id as the one L-11.5 rule accepts and records it
 * (`messageTraceId`, the rule the envelope check applies), so an id that was
 * accepted is never recorded as empty.
 */
function traceIdOf(c: Context<AppEnv>, channel: AuditChannel): string | null {
  if (channel === 'r4') {
    const header = c.req.header('TraceID');
    return isTraceId(header) ? header : null;
  }
  return messageTraceId(c.get('auditNote')?.traceId) ?? null;
}

/**
 * The audit record as far as the request has got: on R4 the TraceID and
 * FromASID headers when well-formed and the verified user; on messaging the
 * MessageHeader id, sender ASID and author the handler noted; the patient
 * and legacy facts the handler noted.
 */
export function auditDraft(c: Context<AppEnv>, audited: AuditedInteraction): AuditDraft {
  const { channel, interaction } = audited;
  const now = c.get('now');
  const note = c.get('auditNote');
  const user = channel === 'r4' ? c.get('user') : note?.user;
  const fromAsid = channel === 'r4' ? c.req.header('FromASID') : note?.fromAsid;
  return {
    requestId: c.get('requestId'),
    occurredAt: now.toISOString(),
    day: londonDate(now),
    channel: channel satisfies AuditChannel,
    interaction,
    traceId: traceIdOf(c, channel),
    fromAsid: isAsid(fromAsid) ? fromAsid : null,
    userSub: user?.sub ?? null,
    userRole: user?.role ?? null,
    userOrg: user?.org ?? null,
    nhsNumber: note?.nhsNumber ?? null,
    messageBirthDate: note?.messageBirthDate ?? null,
    gpPractice: note?.gpPractice ?? null,
  };
}
