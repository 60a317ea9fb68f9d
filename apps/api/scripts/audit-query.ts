/**
 * What `npm run audit` asks of the audit trail, as data: the command line
 * parsed and validated, and the one read-only SQL statement each question
 * becomes. The same statements run against the local sandbox's D1 (through
 * Miniflare) and a deployment's (through `wrangler d1 execute --remote`,
 * which takes no bound parameters): every value put into one has passed a
 * strict pattern first (an NHS number with its check digit, a calendar
 * date, a FHIR id, a row's own time and record id), and
 * {@link assertReadOnlySelect} refuses anything but one SELECT. No I/O here.
 */
import { isFhirId, isValidNhsNumber } from '@fgm-is/rules';
import type { AuditArchive, AuditHotStore, AuditRow } from '../src/audit/archive-store.ts';
import { archivePrefix, patientBucket } from '../src/audit/partition.ts';

/** The three questions: a subject access request, a day's accesses, the history of one flag. */
export type AuditCommandKind = 'subject' | 'day' | 'flag';

/** How rows are printed: JSON (the default), CSV, or text for a person to read. */
export type AuditFormat = 'json' | 'csv' | 'text';

/** One `npm run audit` invocation, validated. */
export interface AuditCommand {
  readonly kind: AuditCommandKind;
  /** The NHS number, the yyyy-mm-dd day, or the flag id. */
  readonly value: string;
  readonly format: AuditFormat;
  /** Read a deployment (wrangler, `--remote`) instead of the local sandbox's state. */
  readonly remote: boolean;
  /** The wrangler environment of a remote read (`--env production`); absent: the top-level one. */
  readonly env?: string | undefined;
  /** Local only: the state directory (`--persist-to`), as given; absent: what `npm start` serves. */
  readonly persistTo?: string | undefined;
  /** `flag` only: the patient's NHS number, when the operator knows it (finds the flag's archived rows when D1 has none). */
  readonly nhsNumber?: string | undefined;
  /** Remote only: a file naming the R2 archive objects to read, one key a line (wrangler 4.86 cannot list R2 objects). */
  readonly archiveKeysFile?: string | undefined;
}

export const USAGE = [
  'usage: npm run audit -- subject <nhs-number> | day <yyyy-mm-dd> | flag <flag-id> [options]',
  '  --format json|csv|text   output (default json)',
  '  --persist-to <dir>       local: the state directory to read (default apps/api/.wrangler/state, what `npm start` serves)',
  '  --remote                 read a deployment through wrangler (D1; the R2 archive only with --archive-keys)',
  '  --env <name>             with --remote: the wrangler environment, e.g. production',
  '  --archive-keys <file>    with --remote: R2 archive object keys to read, one a line',
  '  --nhs <nhs-number>       with flag: the patient, to find the flag in the archive when D1 has no row of it',
].join('\n');

/** @internal A wrangler environment name. */
const ENV_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** @internal A date as the audit's `day` column holds it. */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written yyyy-mm-dd (2026-02-30 is not). */
export function isAuditDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** The command line, parsed: a command, or why not (the script then exits 2). */
export type ParsedArgs = { readonly ok: true; readonly command: AuditCommand } | { readonly ok: false; readonly message: string };

/** @internal The options that take a value (`--remote` is the one that takes none). */
const VALUED = new Set(['--format', '--persist-to', '--env', '--nhs', '--archive-keys']);

/**
 * Parses `npm run audit -- <command> <value> [options]` strictly: an unknown
 * option, a missing or repeated value, an option of the other mode (local
 * or remote) or a value failing its pattern is refused, with a message.
 */
export function parseAuditArgs(args: readonly string[]): ParsedArgs {
  const fail = (message: string): ParsedArgs => ({ ok: false, message: `${message}\n${USAGE}` });
  const positional: string[] = [];
  const options = new Map<string, string>();
  let remote = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--remote') {
      remote = true;
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (!VALUED.has(name)) return fail(`unknown option ${name}`);
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '' || value.startsWith('--')) return fail(`${name} needs a value`);
      if (options.has(name)) return fail(`${name} given twice`);
      options.set(name, value);
      continue;
    }
    positional.push(arg);
  }
  const [kind, value, ...extra] = positional;
  if (kind !== 'subject' && kind !== 'day' && kind !== 'flag') return fail('give a command: subject, day or flag');
  if (value === undefined) return fail(`${kind}: give the ${kind === 'subject' ? 'NHS number' : kind === 'day' ? 'date' : 'flag id'}`);
  if (extra.length > 0) return fail(`unexpected argument ${extra[0]}`);
  if (kind === 'subject' && !isValidNhsNumber(value)) return fail('subject: not a valid NHS number (10 digits, Modulus 11)');
  if (kind === 'day' && !isAuditDay(value)) return fail('day: give a date as yyyy-mm-dd');
  if (kind === 'flag' && !isFhirId(value)) return fail('flag: not a flag id (1 to 64 of A-Z a-z 0-9 - .)');
  const format = options.get('--format') ?? 'json';
  if (format !== 'json' && format !== 'csv' && format !== 'text') return fail('--format: json, csv or text');
  const env = options.get('--env');
  if (env !== undefined && !remote) return fail('--env selects a deployment: use it with --remote');
  if (env !== undefined && !ENV_NAME.test(env)) return fail('--env: not an environment name');
  const persistTo = options.get('--persist-to');
  if (persistTo !== undefined && remote) return fail('--persist-to reads local state: not with --remote');
  const archiveKeysFile = options.get('--archive-keys');
  if (archiveKeysFile !== undefined && !remote) return fail('--archive-keys is for --remote (locally the archive is listed)');
  if (archiveKeysFile !== undefined && kind === 'day') return fail('--archive-keys: day reads D1 only');
  const nhsNumber = options.get('--nhs');
  if (nhsNumber !== undefined && kind !== 'flag') return fail('--nhs is for flag');
  if (nhsNumber !== undefined && !isValidNhsNumber(nhsNumber)) return fail('--nhs: not a valid NHS number (10 digits, Modulus 11)');
  return { ok: true, command: { kind, value, format, remote, env, persistTo, nhsNumber, archiveKeysFile } };
}

/** Thrown when a statement about to be sent is not one read-only SELECT: a defect here, never the operator's input. */
export class NotReadOnlyError extends Error {
  override name = 'NotReadOnlyError';
}

/**
 * Refuses any SQL but one SELECT: it must start with `SELECT `, and hold no
 * `;` (wrangler runs statements separated by `;` one after another) and no
 * comment (`--`, `/*`). Every statement the operator commands send passes
 * here first, locally and remotely.
 */
export function assertReadOnlySelect(sql: string): string {
  if (!sql.startsWith('SELECT ')) throw new NotReadOnlyError('only SELECT statements are sent');
  if (sql.includes(';')) throw new NotReadOnlyError('a statement holds ";": only one statement is sent');
  if (sql.includes('--') || sql.includes('/*')) throw new NotReadOnlyError('a statement holds a comment');
  return sql;
}

/** Which rows a question reads from D1: a patient's, a day's, or a flag's. */
export type AuditRowFilter =
  | { readonly column: 'nhs_number'; readonly value: string }
  | { readonly column: 'day'; readonly value: string }
  | { readonly column: 'flag_id'; readonly value: string };

/** Where the previous page ended: its last row's time and record id (rows come ordered by both). */
export interface PageCursor {
  readonly occurredAt: string;
  readonly recordId: string;
}

/** @internal An instant as the audit trail writes it (`Date.toISOString()`). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** @internal A record id: a UUID, or `change:{flag id}:{version}`. */
const RECORD_ID = /^[A-Za-z0-9:.-]{1,200}$/;

/** @internal A validated value as an SQL string literal; a value that fails its check is never put into SQL. */
function literal(value: string, valid: boolean, what: string): string {
  if (!valid || value.includes("'")) throw new NotReadOnlyError(`refused to put an unvalidated ${what} into SQL`);
  return `'${value}'`;
}

/** @internal The filter's condition, its value validated again here, whoever called. */
function condition(filter: AuditRowFilter): string {
  switch (filter.column) {
    case 'nhs_number':
      return `nhs_number = ${literal(filter.value, isValidNhsNumber(filter.value), 'NHS number')}`;
    case 'day':
      return `day = ${literal(filter.value, isAuditDay(filter.value), 'day')}`;
    case 'flag_id':
      return `flag_id = ${literal(filter.value, isFhirId(filter.value), 'flag id')}`;
  }
}

/** How many rows one statement reads at most: a page (a day at the design volume is about 92,000 rows). */
export const PAGE_SIZE = 5_000;

/**
 * One page of the rows matching `filter`, oldest first (time, then record
 * id), after `cursor` when given: one SELECT, its values validated and
 * inlined (the remote path binds no parameters), checked by
 * {@link assertReadOnlySelect}.
 */
export function pageSql(filter: AuditRowFilter, cursor?: PageCursor, limit: number = PAGE_SIZE): string {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new NotReadOnlyError('a page size is a positive integer');
  let after = '';
  if (cursor) {
    const at = literal(cursor.occurredAt, INSTANT.test(cursor.occurredAt), 'time');
    const id = literal(cursor.recordId, RECORD_ID.test(cursor.recordId), 'record id');
    after = ` AND (occurred_at > ${at} OR (occurred_at = ${at} AND record_id > ${id}))`;
  }
  return assertReadOnlySelect(`SELECT * FROM audit_events WHERE ${condition(filter)}${after} ORDER BY occurred_at, record_id LIMIT ${limit}`);
}

/** Runs one read-only SELECT and returns its rows: Miniflare's D1 locally, `wrangler d1 execute --remote` against a deployment. */
export type SelectRunner = (sql: string) => Promise<AuditRow[]>;

/** Every row matching `filter`, oldest first, page by page (each page one statement of {@link pageSql}). */
export async function selectAll(select: SelectRunner, filter: AuditRowFilter, pageSize: number = PAGE_SIZE): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  let cursor: PageCursor | undefined;
  for (;;) {
    const page = await select(pageSql(filter, cursor, pageSize));
    rows.push(...page);
    const last = page.at(-1);
    if (page.length < pageSize || !last) return rows;
    cursor = { occurredAt: last.occurred_at, recordId: last.record_id };
  }
}

/** @internal The operator's tools never move or delete rows. */
const readOnly = (): never => {
  throw new NotReadOnlyError('the operator audit commands only read');
};

/**
 * The hot store as a subject access request reads it, over any
 * {@link SelectRunner}: the patient's rows, nothing else; its writing and
 * archiving methods refuse.
 */
export function readOnlyHotStore(select: SelectRunner): AuditHotStore {
  return {
    partitionsBefore: readOnly,
    rowsOf: readOnly,
    remove: readOnly,
    forPatient: (nhsNumber) => selectAll(select, { column: 'nhs_number', value: nhsNumber }),
  };
}

/** @internal An archive object's key (`audit/v1/<bucket>/<yyyy-mm>/<first time>_<first record id>.ndjson`, see `src/audit/partition.ts`). */
const ARCHIVE_KEY = /^audit\/v1\/(?:[0-9a-f]{3}|none)\/\d{4}-\d{2}\/[0-9A-Za-z:.-]+_[A-Za-z0-9:.-]+\.ndjson$/;

/** Whether `key` names an archive object of the audit trail's layout (and so is safe to hand to wrangler). */
export function isArchiveKey(key: string): boolean {
  return ARCHIVE_KEY.test(key);
}

/**
 * Archive object keys from a file's text: one a line, blank lines and
 * surrounding blanks ignored, each once; no keys and the first bad line
 * when a line is not an archive key.
 */
export function parseArchiveKeys(text: string): { keys: string[]; bad?: string } {
  const keys: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const key = line.trim();
    if (!key) continue;
    if (!isArchiveKey(key)) return { keys: [], bad: key };
    keys.push(key);
  }
  return { keys: [...new Set(keys)] };
}

/**
 * An archive that can only read the objects it was told of (for a
 * deployment, whose R2 bucket wrangler cannot list): `rowsUnder(prefix)`
 * reads those of the given keys under the prefix, through `get`.
 */
export function listedArchive(keys: readonly string[], get: (key: string) => Promise<string | null>): AuditArchive {
  return {
    write: readOnly,
    async rowsUnder(prefix) {
      const rows: AuditRow[] = [];
      for (const key of keys.filter((k) => k.startsWith(prefix))) {
        const text = await get(key);
        if (text === null) throw new Error(`archive object ${key} was not found`);
        for (const line of text.split('\n')) if (line.trim()) rows.push(JSON.parse(line) as AuditRow);
      }
      return rows;
    },
  };
}

/** Rows by time then record id, each record once (a row both in D1 and the archive, from a cut-off archive run, counts once). */
export function mergeRows(...sources: readonly (readonly AuditRow[])[]): AuditRow[] {
  const byId = new Map<string, AuditRow>();
  for (const rows of sources) for (const row of rows) byId.set(row.record_id, row);
  return [...byId.values()].sort((a, b) =>
    a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : a.record_id < b.record_id ? -1 : a.record_id > b.record_id ? 1 : 0,
  );
}

/** The history of one flag: its rows, whose flag it is, and which archive prefixes were read for it. */
export interface FlagHistory {
  /** Every row naming the flag, oldest first, each once. */
  readonly rows: AuditRow[];
  /** The NHS numbers its D1 rows name, and any the caller knew: whose archive buckets were read. */
  readonly nhsNumbers: string[];
  /** The archive prefixes read (one per patient bucket); none when no NHS number was known. */
  readonly archivePrefixes: string[];
}

/**
 * Every audit row naming `flagId`, oldest first: its D1 rows, then (the
 * archive being partitioned by patient, not by flag) the rows naming it in
 * the archive buckets of the patients its D1 rows name, and of any NHS
 * number the caller knew (`--nhs`, or the flag's stored record). A flag
 * whose rows have all left D1, with no NHS number known, is read from D1
 * only: `archivePrefixes` is then empty, for the caller to say so.
 */
export async function auditForFlag(
  select: SelectRunner,
  archive: AuditArchive,
  flagId: string,
  knownNhsNumbers: readonly string[] = [],
): Promise<FlagHistory> {
  const recent = await selectAll(select, { column: 'flag_id', value: flagId });
  const named = recent.map((row) => row.nhs_number).filter((n): n is string => n !== null && isValidNhsNumber(n));
  const nhsNumbers = [...new Set([...named, ...knownNhsNumbers.filter((n) => isValidNhsNumber(n))])];
  const archivePrefixes = [...new Set(nhsNumbers.map((n) => archivePrefix(patientBucket(n))))];
  const archived: AuditRow[] = [];
  for (const prefix of archivePrefixes) archived.push(...(await archive.rowsUnder(prefix)).filter((row) => row.flag_id === flagId));
  return { rows: mergeRows(archived, recent), nhsNumbers, archivePrefixes };
}

/** What the flag store (`FLAGS`, `flag:{id}`) says of a flag: whose it is, its current status and, once removed, why. */
export interface StoredFlag {
  readonly nhsNumber: string | undefined;
  readonly status: string | undefined;
  readonly versionId: string | undefined;
  readonly lastUpdated: string | undefined;
  /** The removal reason's code and display (D-18), when the stored version carries one. */
  readonly reason: { readonly code: string; readonly display: string | undefined } | undefined;
}

/** @internal A property of a JSON value, if it is an object. */
const prop = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
/** @internal A string or undefined. */
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The facts of a stored flag record (`{ flag, nhsNumber, agesOutOn }`, the
 * FHIR Flag as returned), read leniently; undefined for text that is not
 * such a record. The audit trail has no column for a removal's reason: it
 * is in the removed version of the flag.
 */
export function storedFlagFacts(text: string | null): StoredFlag | undefined {
  if (text === null) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  const flag = prop(record, 'flag');
  if (prop(flag, 'resourceType') !== 'Flag') return undefined;
  const extension = prop(flag, 'extension');
  const first = Array.isArray(extension) ? extension[0] : undefined;
  const concept = prop(prop(first, 'valueCodeableConcept'), 'coding');
  const coding = prop(first, 'valueCoding') ?? (Array.isArray(concept) ? concept[0] : undefined);
  const code = str(prop(coding, 'code'));
  return {
    nhsNumber: str(prop(record, 'nhsNumber')),
    status: str(prop(flag, 'status')),
    versionId: str(prop(prop(flag, 'meta'), 'versionId')),
    lastUpdated: str(prop(prop(flag, 'meta'), 'lastUpdated')),
    reason: code === undefined ? undefined : { code, display: str(prop(coding, 'display')) },
  };
}
