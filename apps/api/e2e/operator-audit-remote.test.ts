/**
 * The operator audit commands' remote path (`npm run audit -- … --remote`)
 * without a Cloudflare account: argument parsing, the SQL each question
 * becomes, the guard that lets only read-only wrangler commands run, and
 * the whole answer over a fake wrangler (a function handed rows, never a
 * process). Plain Node, no server: it lives beside the end-to-end tests
 * because the scripts it tests are Node scripts, not Worker code. What
 * only a real account would show (wrangler's login, the D1 HTTP API, R2's
 * and KV's remote reads) is named in the README.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nhsNumberCheckDigit } from '@fgm-is/rules';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditSources, answerAudit } from '../scripts/audit-answer.ts';
import { formatRows, summariseFlag, toCsv } from '../scripts/audit-format.ts';
import {
  type AuditCommand,
  NotReadOnlyError,
  assertReadOnlySelect,
  listedArchive,
  pageSql,
  parseArchiveKeys,
  parseAuditArgs,
  selectAll,
  storedFlagFacts,
} from '../scripts/audit-query.ts';
import { type WranglerRunner, parseD1Json, readOnlyWrangler, remoteArchiveObject, remoteSelect, remoteStoredFlag } from '../scripts/audit-remote.ts';
import type { AuditRow } from '../src/audit/archive-store.ts';
import { archiveKey, archivePrefix, patientBucket } from '../src/audit/partition.ts';
import { auditRow as row } from './support/audit-rows.ts';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const TARGET = { config: '/repo/apps/api/wrangler.toml', env: 'production' } as const;
const PATIENT = '9000000017';
const FLAG = '5e7d0c1a-0000-4000-8000-000000000001';

/** A valid NHS number in `nhsNumber`'s archive bucket (its first nine digits plus a multiple of 4096). */
function sameBucketAs(nhsNumber: string): string {
  for (let k = 1; ; k++) {
    const nine = String(Number(nhsNumber.slice(0, 9)) + k * 4096);
    const check = nhsNumberCheckDigit(nine);
    if (check !== undefined) return `${nine}${check}`;
  }
}

/** `wrangler d1 execute --json` output for `rows`, after a line of noise as wrangler may print. */
const d1Json = (rows: readonly AuditRow[]) =>
  `some warning first\n${JSON.stringify([{ results: rows, success: true, meta: { served_by: 'fake', rows_read: rows.length } }], null, 2)}\n`;

/** A fake wrangler: records every call; answers from `answer`. */
function fakeWrangler(answer: (args: readonly string[]) => string): { run: WranglerRunner; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: async (args) => {
      calls.push([...args]);
      return answer(args);
    },
  };
}

/** The value of `--command` in a recorded call. */
const sqlOf = (call: readonly string[]) => call[call.indexOf('--command') + 1] ?? '';

const command = (kind: AuditCommand['kind'], value: string, extra: Partial<AuditCommand> = {}): AuditCommand => ({
  kind,
  value,
  format: 'json',
  remote: true,
  ...extra,
});

describe('operator audit: the command line', () => {
  it('parses the three commands and their options', () => {
    expect(parseAuditArgs(['subject', PATIENT])).toEqual({
      ok: true,
      command: { kind: 'subject', value: PATIENT, format: 'json', remote: false },
    });
    expect(parseAuditArgs(['day', '2026-02-28', '--format', 'csv', '--persist-to', 'some/dir'])).toMatchObject({
      ok: true,
      command: { kind: 'day', value: '2026-02-28', format: 'csv', remote: false, persistTo: 'some/dir' },
    });
    expect(
      parseAuditArgs(['flag', FLAG, '--remote', '--env=production', '--format=text', '--nhs', PATIENT, '--archive-keys', 'keys.txt']),
    ).toMatchObject({
      ok: true,
      command: { kind: 'flag', value: FLAG, format: 'text', remote: true, env: 'production', nhsNumber: PATIENT, archiveKeysFile: 'keys.txt' },
    });
  });

  it.each([
    [[], 'give a command'],
    [['subjects', PATIENT], 'give a command'],
    [['subject'], 'give the NHS number'],
    [['subject', '9000000010'], 'not a valid NHS number'],
    [['subject', "9000000017' OR '1'='1"], 'not a valid NHS number'],
    [['subject', PATIENT, 'extra'], 'unexpected argument'],
    [['day', '2026-02-30'], 'yyyy-mm-dd'],
    [['day', '2026-2-01'], 'yyyy-mm-dd'],
    [['day', "2026-01-01'; DELETE FROM audit_events"], 'yyyy-mm-dd'],
    [['flag', 'a;b'], 'not a flag id'],
    [['flag', "a' OR 1=1"], 'not a flag id'],
    [['flag', 'x'.repeat(65)], 'not a flag id'],
    [['subject', PATIENT, '--format', 'xml'], '--format'],
    [['subject', PATIENT, '--format'], '--format needs a value'],
    [['subject', PATIENT, '--format', 'csv', '--format', 'json'], 'given twice'],
    [['subject', PATIENT, '--delete'], 'unknown option --delete'],
    [['subject', PATIENT, '--env', 'production'], 'use it with --remote'],
    [['subject', PATIENT, '--remote', '--env', 'prod;rm'], 'not an environment name'],
    [['subject', PATIENT, '--remote', '--persist-to', 'dir'], 'not with --remote'],
    [['subject', PATIENT, '--archive-keys', 'keys.txt'], 'is for --remote'],
    [['day', '2026-01-01', '--remote', '--archive-keys', 'keys.txt'], 'day reads D1 only'],
    [['subject', PATIENT, '--nhs', PATIENT], '--nhs is for flag'],
    [['flag', FLAG, '--nhs', '1234567890'], '--nhs: not a valid NHS number'],
  ])('refuses %j', (args, message) => {
    const parsed = parseAuditArgs(args);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('operator audit: only SELECT statements, values validated before they are put in', () => {
  it('builds one SELECT per question, oldest first, paged by time and record id', () => {
    expect(pageSql({ column: 'nhs_number', value: PATIENT })).toBe(
      "SELECT * FROM audit_events WHERE nhs_number = '9000000017' ORDER BY occurred_at, record_id LIMIT 5000",
    );
    expect(pageSql({ column: 'day', value: '2026-12-07' }, { occurredAt: '2026-12-07T10:00:00.123Z', recordId: `change:${FLAG}:2` }, 10)).toBe(
      `SELECT * FROM audit_events WHERE day = '2026-12-07' AND (occurred_at > '2026-12-07T10:00:00.123Z' OR (occurred_at = '2026-12-07T10:00:00.123Z' AND record_id > 'change:${FLAG}:2')) ORDER BY occurred_at, record_id LIMIT 10`,
    );
    expect(pageSql({ column: 'flag_id', value: FLAG })).toBe(
      `SELECT * FROM audit_events WHERE flag_id = '${FLAG}' ORDER BY occurred_at, record_id LIMIT 5000`,
    );
  });

  it('refuses to build SQL from a value that has not passed its pattern, whoever calls', () => {
    expect(() => pageSql({ column: 'nhs_number', value: "9000000017' OR '1'='1" })).toThrow(NotReadOnlyError);
    expect(() => pageSql({ column: 'day', value: "2026-12-07'); DROP TABLE audit_events; --" })).toThrow(NotReadOnlyError);
    expect(() => pageSql({ column: 'flag_id', value: "x' OR 'a'='a" })).toThrow(NotReadOnlyError);
    expect(() => pageSql({ column: 'day', value: '2026-12-07' }, { occurredAt: "2026-12-07T10:00:00Z' OR 1=1", recordId: 'a' })).toThrow(
      NotReadOnlyError,
    );
    expect(() => pageSql({ column: 'day', value: '2026-12-07' }, { occurredAt: '2026-12-07T10:00:00Z', recordId: "a' OR 1=1" })).toThrow(
      NotReadOnlyError,
    );
    expect(() => pageSql({ column: 'day', value: '2026-12-07' }, undefined, 0)).toThrow(NotReadOnlyError);
  });

  it('for any text as NHS number, day or flag id: either refused, or one SELECT holding that value as its only literal', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('nhs_number' as const, 'day' as const, 'flag_id' as const),
        fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9.'; -]{1,70}$/), fc.constantFrom(PATIENT, '2026-12-07', FLAG)),
        (column, value) => {
          let sql: string;
          try {
            sql = pageSql({ column, value });
          } catch (error) {
            expect(error).toBeInstanceOf(NotReadOnlyError);
            return;
          }
          expect(assertReadOnlySelect(sql)).toBe(sql);
          expect(sql).toBe(`SELECT * FROM audit_events WHERE ${column} = '${value}' ORDER BY occurred_at, record_id LIMIT 5000`);
          expect(value).not.toMatch(/['; ]/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    'DELETE FROM audit_events',
    'select * from audit_events',
    ' SELECT * FROM audit_events',
    'SELECT * FROM audit_events; DELETE FROM audit_events',
    'SELECT * FROM audit_events;',
    'SELECT * FROM audit_events -- comment',
    'SELECT * FROM audit_events /* comment */',
    'WITH gone AS (SELECT 1) DELETE FROM audit_events',
    'INSERT INTO audit_events SELECT * FROM audit_events',
    'UPDATE audit_events SET status = 200',
    'DROP TABLE audit_events',
    'PRAGMA writable_schema = 1',
  ])('assertReadOnlySelect refuses %j', (sql) => {
    expect(() => assertReadOnlySelect(sql)).toThrow(NotReadOnlyError);
  });
});

describe('operator audit: only read-only wrangler commands reach the runner', () => {
  const select = `SELECT * FROM audit_events WHERE day = '2026-12-07' ORDER BY occurred_at, record_id LIMIT 5000`;
  const key = `audit/v1/${'0f1'}/2025-01/2025-01-10T08:00:00.000Z_change:${FLAG}:1.ndjson`;

  it.each([
    [['d1', 'execute', 'AUDIT_DB', '--remote', '--json', '--command', 'DELETE FROM audit_events']],
    [['d1', 'execute', 'AUDIT_DB', '--remote', '--json', '--command', `${select}; DELETE FROM audit_events`]],
    [['d1', 'execute', 'AUDIT_DB', '--remote', '--json', '--command', select, '--command', 'DELETE FROM audit_events']],
    [['d1', 'execute', 'AUDIT_DB', '--remote', '--json', '--file', 'delete.sql']],
    [['d1', 'execute', 'AUDIT_DB', '--remote', '--json', '--command', select, '--file=delete.sql']],
    [['d1', 'execute', 'AUDIT_DB', '--local', '--json', '--command', select]],
    [['d1', 'execute', 'AUDIT_DB', '--json', '--command', select]],
    [['d1', 'execute', 'AUDIT_DB', '--remote', '--yes', '--command', select]],
    [['d1', 'migrations', 'apply', 'AUDIT_DB', '--remote']],
    [['d1', 'delete', 'fgm-is-audit', '--remote']],
    [['r2', 'object', 'put', `fgm-is-audit-archive/${key}`, '--remote', '--pipe']],
    [['r2', 'object', 'delete', `fgm-is-audit-archive/${key}`, '--remote']],
    [['r2', 'object', 'get', `fgm-is-audit-archive/${key}`, '--remote']],
    [['r2', 'object', 'get', `fgm-is-audit-archive/${key}`, '--remote', '--file', 'out']],
    [['r2', 'object', 'get', 'fgm-is-audit-archive/../../etc/passwd', '--remote', '--pipe']],
    [['kv', 'key', 'put', `flag:${FLAG}`, 'x', '--binding', 'FLAGS', '--remote']],
    [['kv', 'key', 'delete', `flag:${FLAG}`, '--binding', 'FLAGS', '--remote']],
    [['kv', 'key', 'get', 'active:9000000017', '--binding', 'FLAGS', '--remote']],
    [['kv', 'key', 'get', `flag:${FLAG}`, '--binding', 'FLAGS', '--local']],
    [['deploy', '--env', 'production']],
  ])('refuses wrangler %j and runs nothing', (args) => {
    const fake = fakeWrangler(() => '');
    expect(() => readOnlyWrangler(fake.run)(args)).toThrow(NotReadOnlyError);
    expect(fake.calls).toEqual([]);
  });

  it('sends the D1 read, the archive read and the stored flag read with exactly these arguments', async () => {
    const fake = fakeWrangler((args) =>
      args[0] === 'd1' ? d1Json([row('r1', '2026-12-07T10:00:00.000Z')]) : args[0] === 'r2' ? '' : 'Value not found\n',
    );
    await remoteSelect(fake.run, TARGET)(select);
    await remoteArchiveObject(fake.run, TARGET, 'fgm-is-audit-archive')(key);
    expect(await remoteStoredFlag(fake.run, TARGET)(FLAG)).toBeNull();
    expect(fake.calls).toEqual([
      ['d1', 'execute', 'AUDIT_DB', '--remote', '--json', '--config', TARGET.config, '--env', 'production', '--command', select],
      ['r2', 'object', 'get', `fgm-is-audit-archive/${key}`, '--remote', '--pipe', '--config', TARGET.config, '--env', 'production'],
      ['kv', 'key', 'get', `flag:${FLAG}`, '--binding', 'FLAGS', '--remote', '--config', TARGET.config, '--env', 'production'],
    ]);
  });

  it('a remote SELECT that is not read-only never reaches wrangler', async () => {
    const fake = fakeWrangler(() => d1Json([]));
    await expect(remoteSelect(fake.run, TARGET)('DELETE FROM audit_events')).rejects.toThrow(NotReadOnlyError);
    expect(fake.calls).toEqual([]);
  });

  it("reads wrangler's D1 JSON, and refuses output that is not a successful result", () => {
    const rows = [row('r1', '2026-12-07T10:00:00.000Z'), row('r2', '2026-12-07T10:00:01.000Z')];
    expect(parseD1Json(d1Json(rows))).toEqual(rows);
    expect(() => parseD1Json(JSON.stringify([{ results: [], success: false }]))).toThrow('a D1 query failed');
    expect(() => parseD1Json('{"error": {"text": "Authentication error"}}')).toThrow();
    expect(() => parseD1Json('not json')).toThrow('no JSON result');
  });
});

describe('operator audit: the answer, over a fake wrangler', () => {
  const other = sameBucketAs(PATIENT);
  const bucket = patientBucket(PATIENT);
  const added = row(`change:${FLAG}:1`, '2026-12-07T10:00:01.000Z', { interaction: 'add', status: 201, flag_id: FLAG });
  const read = row('r-read', '2026-12-07T10:00:02.000Z', { interaction: 'read', flag_id: FLAG });
  const query = row('r-query', '2026-12-07T10:00:03.000Z', {
    channel: 'messaging',
    interaction: 'query',
    flag_id: FLAG,
    user_sub: '555555555555',
    user_role: '555555555666',
    user_org: 'RSD',
  });
  const refused = row('r-refused', '2026-12-07T10:00:04.000Z', { interaction: 'add', status: 422, details_code: 'INVALID_VALUE' });
  const removed = row(`change:${FLAG}:2`, '2026-12-07T10:00:05.000Z', { interaction: 'remove', flag_id: FLAG, user_sub: '999999999999' });
  const d1Rows = [added, read, query, refused, removed];
  const archivedOld = row('archived-1', '2025-01-10T09:00:00.000Z');
  const archivedOther = row('archived-2', '2025-01-10T09:30:00.000Z', { nhs_number: other });
  const archiveKeys = [
    archiveKey(bucket, '2025-01', { occurredAt: archivedOld.occurred_at, recordId: archivedOld.record_id }),
    // A cut-off archive run: the Add's row both in D1 and the archive.
    archiveKey(bucket, '2026-12', { occurredAt: added.occurred_at, recordId: added.record_id }),
  ];
  const objects: Record<string, readonly AuditRow[]> = { [archiveKeys[0] ?? '']: [archivedOld, archivedOther], [archiveKeys[1] ?? '']: [added] };
  const storedRemoved = JSON.stringify({
    nhsNumber: PATIENT,
    agesOutOn: '2030-03-15',
    flag: {
      resourceType: 'Flag',
      id: FLAG,
      meta: { versionId: '2', lastUpdated: removed.occurred_at },
      status: 'entered-in-error',
      extension: [
        {
          url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
          valueCoding: {
            system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason',
            code: '0',
            display: 'Added in error - this child does not have a family history of FGM',
          },
        },
      ],
    },
  });

  /** The sources `audit.ts` builds for --remote, over a fake wrangler answering from D1 rows filtered as the SQL asks. */
  function remoteSources(keys: readonly string[], stored: string | null = storedRemoved) {
    const fake = fakeWrangler((args) => {
      if (args[0] === 'd1') {
        const sql = sqlOf(args);
        const value = /WHERE (\w+) = '([^']+)'/.exec(sql);
        const [, column = '', wanted = ''] = value ?? [];
        return d1Json(d1Rows.filter((r) => (r as unknown as Record<string, unknown>)[column] === wanted));
      }
      if (args[0] === 'r2') {
        const path = args[3] ?? '';
        return `${(objects[path.slice(path.indexOf('/') + 1)] ?? []).map((r) => JSON.stringify(r)).join('\n')}\n`;
      }
      return stored ?? 'Value not found\n';
    });
    const sources: AuditSources = {
      select: remoteSelect(fake.run, TARGET),
      archive: listedArchive(keys, remoteArchiveObject(fake.run, TARGET, 'fgm-is-audit-archive')),
      archiveListed: false,
      storedFlag: remoteStoredFlag(fake.run, TARGET),
    };
    return { fake, sources };
  }

  it('a subject access request: D1 and the named archive objects, oldest first, each record once, no other patient', async () => {
    const { fake, sources } = remoteSources(archiveKeys);
    const notes: string[] = [];
    const answer = await answerAudit(command('subject', PATIENT), sources, (line) => notes.push(line), '2026-12-07');
    expect(answer.rows.map((r) => r.record_id)).toEqual(['archived-1', ...d1Rows.map((r) => r.record_id)]);
    expect(answer.rows.every((r) => r.nhs_number === PATIENT)).toBe(true);
    expect(fake.calls.filter((c) => c[0] === 'd1').map(sqlOf)).toEqual([
      `SELECT * FROM audit_events WHERE nhs_number = '${PATIENT}' ORDER BY occurred_at, record_id LIMIT 5000`,
    ]);
    expect(fake.calls.filter((c) => c[0] === 'r2')).toHaveLength(2);
    expect(notes.join('\n')).toContain(
      `only the objects given with --archive-keys were read. Rows of months before 2026-09 may be in R2 under ${archivePrefix(bucket)}`,
    );
  });

  it('reads D1 page by page until a page is short', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => row(`r${i}`, `2026-12-07T10:00:0${i}.000Z`));
    const seen: string[] = [];
    const result = await selectAll(
      async (sql) => {
        seen.push(sql);
        const after = /occurred_at > '([^']+)'/.exec(sql)?.[1] ?? '';
        return rows.filter((r) => r.occurred_at > after).slice(0, 2);
      },
      { column: 'day', value: '2026-12-07' },
      2,
    );
    expect(result).toEqual(rows);
    expect(seen).toHaveLength(3);
    expect(seen[1]).toContain("occurred_at > '2026-12-07T10:00:01.000Z' OR (occurred_at = '2026-12-07T10:00:01.000Z' AND record_id > 'r1')");
  });

  it("a flag's history: its rows, who added and removed it, the reason from its stored record, what returned it", async () => {
    const { sources } = remoteSources(archiveKeys);
    const notes: string[] = [];
    const answer = await answerAudit(command('flag', FLAG, { format: 'text' }), sources, (line) => notes.push(line), '2026-12-07');
    expect(answer.rows.map((r) => r.record_id)).toEqual([added, read, query, removed].map((r) => r.record_id));
    expect(answer.flag).toMatchObject({ flagId: FLAG, nhsNumbers: [PATIENT], stored: { status: 'entered-in-error', reason: { code: '0' } } });
    const summary = summariseFlag(answer.rows);
    expect(summary.added).toEqual([added]);
    expect(summary.removed).toEqual([removed]);
    expect(summary.returned).toEqual([read, query]);
    const text = formatRows(answer.rows, 'text', answer.flag);
    expect(text).toContain(`Flag ${FLAG}, NHS number ${PATIENT}: 4 audit row(s)`);
    expect(text).toContain(
      `Added:    ${added.occurred_at} over r4 (add, 201) by user 123456789012, role R8000, org A12345, from ASID 200000000001, TraceID trace-${added.record_id}`,
    );
    expect(text).toContain(`Removed:  ${removed.occurred_at} over r4 (remove, 200) by user 999999999999`);
    expect(text).toContain('Reason:   0 Added in error - this child does not have a family history of FGM (status entered-in-error, version 2');
    expect(text).toContain('Returned: 2 search(es), read(s) and legacy query(ies) answered with it');
    expect(notes.join('\n')).toContain('wrangler 4.86 has no command for it');
  });

  it('a flag with no D1 row and no known NHS number: says so, and reads no archive', async () => {
    const { fake, sources } = remoteSources(archiveKeys, null);
    const notes: string[] = [];
    const answer = await answerAudit(command('flag', 'gone-flag-1'), sources, (line) => notes.push(line), '2026-12-07');
    expect(answer.rows).toEqual([]);
    expect(notes.join('\n')).toContain('no D1 row names flag gone-flag-1 and its NHS number is unknown');
    expect(fake.calls.filter((c) => c[0] === 'r2')).toEqual([]);
  });

  it("a day before D1's window: says that day reads D1 only", async () => {
    const { sources } = remoteSources([]);
    const notes: string[] = [];
    await answerAudit(command('day', '2026-01-05'), sources, (line) => notes.push(line), '2026-12-07');
    expect(notes).toEqual(['note: day reads D1 only, which keeps the days from 2026-09-01 on: rows of 2026-01-05 may have moved to the R2 archive.']);
  });

  it('archive keys: only keys of the archive layout', () => {
    expect(parseArchiveKeys(`\n${archiveKeys.join('\n')}\n${archiveKeys[0]}\n`)).toEqual({ keys: archiveKeys });
    expect(parseArchiveKeys('audit/v1/undelivered/2026-12-07T10:00:00.000Z_x.ndjson').bad).toBeDefined();
    expect(parseArchiveKeys('audit/v1/0f1/2025-01/../../x.ndjson').bad).toBeDefined();
    expect(parseArchiveKeys('audit/v1/0f1/2025-01/a b.ndjson').bad).toBeDefined();
  });

  it("a stored flag's facts, leniently", () => {
    expect(storedFlagFacts(storedRemoved)).toEqual({
      nhsNumber: PATIENT,
      status: 'entered-in-error',
      versionId: '2',
      lastUpdated: removed.occurred_at,
      reason: { code: '0', display: 'Added in error - this child does not have a family history of FGM' },
    });
    expect(storedFlagFacts(null)).toBeUndefined();
    expect(storedFlagFacts('Value not found')).toBeUndefined();
    expect(storedFlagFacts('{"flag":{"resourceType":"Patient"}}')).toBeUndefined();
  });

  it('CSV: a header of every column, fields quoted when they must be', () => {
    const odd = row('r,1', '2026-12-07T10:00:00.000Z', { details_code: 'A "quoted"\nvalue' });
    const csv = toCsv([odd]);
    expect(csv.split('\n')[0]).toBe(Object.keys(odd).join(','));
    expect(csv).toContain('"r,1"');
    expect(csv).toContain('"A ""quoted""\nvalue"');
    expect(toCsv([])).toBe('');
  });
});

describe('operator audit: the script refuses a bad remote command line before running wrangler', () => {
  /** Runs `scripts/audit.ts` with `args`; its exit code and output. */
  function audit(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile('npx', ['tsx', 'scripts/audit.ts', ...args], { cwd: API_DIR, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
      );
    });
  }

  it('exit 2 for a bad environment name, and for archive keys outside the layout or the patient', async () => {
    mkdirSync(join(API_DIR, '.wrangler', 'tmp'), { recursive: true });
    const dir = mkdtempSync(join(API_DIR, '.wrangler', 'tmp', 'audit-keys-'));
    try {
      const bad = join(dir, 'bad.txt');
      writeFileSync(bad, 'audit/v1/undelivered/x.ndjson\n');
      const elsewhere = join(dir, 'elsewhere.txt');
      writeFileSync(elsewhere, `${archiveKey(patientBucket('9000000009'), '2025-01', { occurredAt: '2025-01-10T09:00:00.000Z', recordId: 'x' })}\n`);
      const results = [
        await audit(['subject', PATIENT, '--remote', '--env', 'production;rm']),
        await audit(['subject', PATIENT, '--remote', '--archive-keys', bad]),
        await audit(['subject', PATIENT, '--remote', '--archive-keys', elsewhere]),
      ];
      expect(results.map((r) => r.code)).toEqual([2, 2, 2]);
      expect(results.map((r) => r.stdout)).toEqual(['', '', '']);
      expect(results[1]?.stderr).toContain('not an audit archive key');
      expect(results[2]?.stderr).toContain("is not under the patient's prefix");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
