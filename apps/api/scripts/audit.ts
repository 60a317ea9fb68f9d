/**
 * `npm run audit -- <command>`: the operator's read-only view of the local
 * sandbox's audit trail (D-15), from D1 and the R2 archive as `npm start`
 * keeps them. Nothing here writes to the trail.
 *
 *   subject <nhs-number>   a subject access request: every access and change
 *                          naming the patient, both channels, D1 and the
 *                          archive, oldest first (auditForSubject)
 *   day <yyyy-mm-dd>       a day's accesses (Europe/London date), from D1
 *
 * Options: `--format json` (the default) or `--format csv`; `--persist-to
 * <dir>` reads another state directory (as `wrangler dev --persist-to`).
 */
import { isValidNhsNumber } from '@fgm-is/rules';
import type { AuditRow } from '../src/audit/archive-store.ts';
import { auditForDay, d1AuditHotStore } from '../src/audit/d1-store.ts';
import { r2AuditArchive } from '../src/audit/r2-archive.ts';
import { auditForSubject } from '../src/audit/subject-access.ts';
import { DEFAULT_STATE, localStorage, persistToOption } from './local-storage.ts';

const USAGE = 'usage: npm run audit -- subject <nhs-number> | day <yyyy-mm-dd> [--format json|csv] [--persist-to <dir>]';

/** @internal One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
const csvField = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Rows as CSV with a header line, the columns of the audit table in its order. */
function toCsv(rows: readonly AuditRow[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0] as object);
  return `${[columns.join(','), ...rows.map((row) => columns.map((c) => csvField((row as unknown as Record<string, unknown>)[c])).join(','))].join('\n')}\n`;
}

const args = process.argv.slice(2);
const [command, subject] = args;
const formatAt = args.indexOf('--format');
const format = formatAt === -1 ? 'json' : args[formatAt + 1];
if ((command !== 'subject' && command !== 'day') || !subject || (format !== 'json' && format !== 'csv')) {
  console.error(USAGE);
  process.exit(2);
}
if (command === 'subject' && !isValidNhsNumber(subject)) {
  console.error('subject: not a valid NHS number (10 digits, Modulus 11)');
  process.exit(2);
}
if (command === 'day' && !/^\d{4}-\d{2}-\d{2}$/.test(subject)) {
  console.error('day: give a date as yyyy-mm-dd');
  process.exit(2);
}

const { env, dispose } = await localStorage(['d1', 'r2'], persistToOption(args) ?? DEFAULT_STATE);
try {
  const rows =
    command === 'subject'
      ? await auditForSubject(d1AuditHotStore(env.AUDIT_DB), r2AuditArchive(env.AUDIT_ARCHIVE), subject)
      : await auditForDay(env.AUDIT_DB, subject);
  process.stdout.write(format === 'csv' ? toCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`);
} finally {
  await dispose();
}
