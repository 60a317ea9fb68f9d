/**
 * Reading the audit trail as an auditor would, for the response a test received.
 */
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import type { AuditRow } from '../../src/audit/d1-store.ts';

/** The audit row of a response, once its after-response write has landed. */
export async function auditOf(response: Response): Promise<AuditRow> {
  const requestId = response.headers.get('X-Request-ID') ?? '';
  return vi.waitFor(
    async () => {
      const row = await env.AUDIT_DB.prepare('SELECT * FROM audit_events WHERE request_id = ?1').bind(requestId).first<AuditRow>();
      if (!row) throw new Error('not yet written');
      return row;
    },
    { timeout: 4000, interval: 10 },
  );
}
