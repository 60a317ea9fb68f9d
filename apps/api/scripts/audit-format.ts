/**
 * How `npm run audit` prints audit rows: JSON (an array of rows, the
 * `audit_events` columns), CSV (RFC 4180, a header line), or text for a
 * person (a line a row; for a flag, first a summary of who added and
 * removed it and what returned it). No I/O here.
 */
import type { AuditRow } from '../src/audit/archive-store.ts';
import type { AuditFormat, StoredFlag } from './audit-query.ts';

/** @internal One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
const csvField = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** @internal Every column any row has, in the order first seen (the table's order; archived rows of an older shape may lack some). */
function columnsOf(rows: readonly AuditRow[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const column of Object.keys(row)) columns.add(column);
  return [...columns];
}

/** Rows as CSV with a header line; empty for no rows. */
export function toCsv(rows: readonly AuditRow[]): string {
  if (rows.length === 0) return '';
  const columns = columnsOf(rows);
  const lines = rows.map((row) => columns.map((c) => csvField((row as unknown as Record<string, unknown>)[c])).join(','));
  return `${[columns.join(','), ...lines].join('\n')}\n`;
}

/** @internal A value for a text line: `-` when absent. */
const shown = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '-' : String(value));

/** One row as a line of text: time, channel, interaction, status, details code, then who, from where, about whom. */
export function textLine(row: AuditRow): string {
  return [
    row.occurred_at,
    row.channel.padEnd(9),
    row.interaction.padEnd(6),
    String(row.status),
    shown(row.details_code).padEnd(22),
    `trace=${shown(row.trace_id)}`,
    `asid=${shown(row.from_asid)}`,
    `user=${shown(row.user_sub)}/${shown(row.user_role)}/${shown(row.user_org)}`,
    `nhs=${shown(row.nhs_number)}`,
    `flag=${shown(row.flag_id)}`,
  ].join(' ');
}

/** @internal Who did it and how, for the summary: user, role, organisation, sender ASID, channel, TraceID. */
const who = (row: AuditRow) =>
  `${row.occurred_at} over ${row.channel} (${row.interaction}, ${row.status}) by user ${shown(row.user_sub)}, role ${shown(row.user_role)}, org ${shown(row.user_org)}, from ASID ${shown(row.from_asid)}, TraceID ${shown(row.trace_id)}`;

/** The interactions that add a flag and that remove one, on either channel; a change succeeded with 201 (add) or 200 (remove). */
const ADDS = new Set(['add', 'create']);
const REMOVES = new Set(['remove', 'delete']);
const READS = new Set(['search', 'read', 'query']);

/** A flag's rows sorted into what a person asks of them. */
export interface FlagSummary {
  readonly added: AuditRow[];
  readonly removed: AuditRow[];
  /** Searches, reads and legacy queries answered 200 with the flag. */
  readonly returned: AuditRow[];
  /** Every other row naming it: refusals and failures. */
  readonly other: AuditRow[];
}

/** Sorts a flag's rows (oldest first) into its adds, removals, the reads that returned it, and the rest. */
export function summariseFlag(rows: readonly AuditRow[]): FlagSummary {
  const summary: FlagSummary = { added: [], removed: [], returned: [], other: [] };
  for (const row of rows) {
    if (ADDS.has(row.interaction) && row.status === 201) summary.added.push(row);
    else if (REMOVES.has(row.interaction) && row.status === 200) summary.removed.push(row);
    else if (READS.has(row.interaction) && row.status === 200) summary.returned.push(row);
    else summary.other.push(row);
  }
  return summary;
}

/** What the text of a flag's history says besides its rows. */
export interface FlagTextContext {
  readonly flagId: string;
  readonly nhsNumbers: readonly string[];
  /** The flag's stored record, when it could be read (the removal reason is only there). */
  readonly stored: StoredFlag | undefined;
}

/** A flag's history for a person: who added it, who removed it and why, what returned it, then every row. */
export function flagText(rows: readonly AuditRow[], context: FlagTextContext): string {
  const { added, removed, returned, other } = summariseFlag(rows);
  const { stored } = context;
  const lines = [
    `Flag ${context.flagId}${context.nhsNumbers.length > 0 ? `, NHS number ${context.nhsNumbers.join(', ')}` : ''}: ${rows.length} audit row(s)`,
  ];
  lines.push(...(added.length > 0 ? added.map((row) => `Added:    ${who(row)}`) : ['Added:    no successful add or legacy create names it']));
  lines.push(
    ...(removed.length > 0
      ? removed.map((row) => `Removed:  ${who(row)}`)
      : ['Removed:  not removed (no successful remove or legacy delete names it)']),
  );
  if (stored?.reason) {
    lines.push(
      `Reason:   ${stored.reason.code}${stored.reason.display ? ` ${stored.reason.display}` : ''} (status ${shown(stored.status)}, version ${shown(stored.versionId)}, from the flag's stored record: the audit trail records no reason)`,
    );
  } else if (removed.length > 0) {
    lines.push('Reason:   not known (the audit trail records no reason, and the flag store gave none)');
  }
  lines.push(`Returned: ${returned.length} search(es), read(s) and legacy query(ies) answered with it`);
  lines.push(...returned.map((row) => `  ${textLine(row)}`));
  if (other.length > 0) {
    lines.push(`Other:    ${other.length} refused or failed request(s) naming it`);
    lines.push(...other.map((row) => `  ${textLine(row)}`));
  }
  lines.push('', 'Every row, oldest first:', ...rows.map(textLine));
  return `${lines.join('\n')}\n`;
}

/** Rows in `format`: JSON or CSV for every command; text is a line a row, or for a flag its summary then its rows. */
export function formatRows(rows: readonly AuditRow[], format: AuditFormat, flag?: FlagTextContext): string {
  if (format === 'csv') return toCsv(rows);
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (flag) return flagText(rows, flag);
  return rows.length === 0 ? '' : `${rows.map(textLine).join('\n')}\n`;
}
