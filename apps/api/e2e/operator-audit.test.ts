/**
 * The operator audit commands (`npm run audit -- subject | day | flag`)
 * against the real local sandbox: `wrangler dev` over its own seeded state
 * directory, interactions over HTTP on both channels with known TraceIDs,
 * then `scripts/audit.ts` run as a child process (as `npm run audit` runs
 * it) over that state, and its output checked against exactly the
 * interactions made: which rows, in which order, with which channel,
 * interaction, status, Spine code, TraceID, sender, user, patient and flag.
 *
 * The archive: rows older than D1's window are in R2, written by the archive
 * job. Nothing here is 90 days old, so the test writes archive objects
 * itself (with the job's own writer and key layout) once the server is
 * stopped: an old row of the patient, a row of another patient of the same
 * bucket (never to be shown), the rows of a flag only the archive knows, and
 * a copy of a D1 row (an archive run cut off before its delete: counted once).
 *
 * Also: the commands refuse bad input with exit code 2, and no command
 * changes a byte of the state (every file hashed before and after) or the
 * trail's row count; the remote path's wrangler commands (`audit-remote.ts`)
 * run against the same state with `--remote` swapped for `--local
 * --persist-to`, so their arguments and output parsing meet the real
 * wrangler 4.86 (only the account, the network and Cloudflare's side are
 * left untested).
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { londonDate, nhsNumberCheckDigit } from '@fgm-is/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerAudit } from '../scripts/audit-answer.ts';
import { listedArchive } from '../scripts/audit-query.ts';
import { type WranglerRunner, remoteArchiveObject, remoteSelect, remoteStoredFlag, spawnWrangler } from '../scripts/audit-remote.ts';
import { localStorage } from '../scripts/local-storage.ts';
import { signSandboxToken } from '../scripts/sandbox-token.ts';
import type { AuditRow } from '../src/audit/archive-store.ts';
import { archiveKey, patientBucket } from '../src/audit/partition.ts';
import { r2AuditArchive } from '../src/audit/r2-archive.ts';
import { auditRow } from './support/audit-rows.ts';
import { type CrashableServer, createCrashableServer } from './support/crashable-server.ts';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The patient whose trail is asked for: a sandbox girl with no seeded flag. */
const PATIENT = '9000000017';
/** Another sandbox patient (with the seeded flag): searched once, never to appear in PATIENT's answers. */
const OTHER_PATIENT = '9000000009';
const SEEDED_FLAG = 'a6a6a92a-8247-4250-b1c7-10cda16f0310';
const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const SENDER_ASID = '200000000001';
/** The R4 user of every R4 request here. */
const R4_USER = { sub: '123456789012', role: 'R8000', org: 'A12345' } as const;
/** The legacy author of `examples/legacy/query.xml`: its SDS user id, role profile id and organisation's ODS code. */
const LEGACY_USER = { sub: '555555555555', role: '555555555666', org: 'RSD' } as const;
const REMOVAL_REASON = {
  url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
  valueCoding: { system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason', code: '0' },
} as const;
/** A flag only the archive knows (its rows are "older than 90 days"). */
const ARCHIVED_FLAG = 'archived-flag-0001';
const REQUEST_TIMEOUT_MS = 15_000;
/** How long the rows of reads may take to arrive (the sandbox queue delivers within about a second). */
const ROWS_WITHIN_MS = 30_000;
const COMMAND_TIMEOUT_MS = 90_000;

/** One interaction the test made, and what its audit row must say. */
interface Made {
  readonly traceId: string;
  readonly channel: 'r4' | 'messaging';
  readonly interaction: string;
  readonly status: number;
  readonly code: string | null;
  readonly nhsNumber: string | null;
  readonly flagId: string | null;
  readonly user: { readonly sub: string; readonly role: string; readonly org: string };
}

/** The part of a row these checks compare, in the order of {@link Made}. */
const shape = (row: AuditRow) => ({
  traceId: row.trace_id,
  channel: row.channel,
  interaction: row.interaction,
  status: row.status,
  code: row.details_code,
  nhsNumber: row.nhs_number,
  flagId: row.flag_id,
  user: { sub: row.user_sub, role: row.user_role, org: row.user_org },
});

let server: CrashableServer | undefined;
let token = '';
/** Every interaction, in the order made. */
const made: Made[] = [];
/** The flag added (and removed) for PATIENT. */
let flagId = '';
/** The London days the interactions fell on (two only if the test ran over midnight). */
const days = new Set<string>();

beforeAll(async () => {
  token = await signSandboxToken({ sub: R4_USER.sub, activities: ['B0380'], role: R4_USER.role, org: R4_USER.org });
  server = await createCrashableServer();
  await server.start();
}, 120_000);

afterAll(async () => {
  await server?.dispose();
}, 60_000);

const live = (): CrashableServer => {
  if (!server) throw new Error('no server');
  return server;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The Spine code of an R4 OperationOutcome body, or null. */
function r4Code(body: unknown): string | null {
  const outcome = body as { resourceType?: string; issue?: { details?: { coding?: { code?: string }[] } }[] };
  return outcome.resourceType === 'OperationOutcome' ? (outcome.issue?.[0]?.details?.coding?.[0]?.code ?? null) : null;
}

/** Sends one R4 request with a fresh TraceID; records what its audit row must say. */
async function r4(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; traceId: string }> {
  const traceId = randomUUID();
  days.add(londonDate(new Date()));
  const response = await fetch(`${live().baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      TraceID: traceId,
      FromASID: SENDER_ASID,
      ToASID: '200000000000',
      ...(body ? { 'Content-Type': 'application/fhir+json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const parsed = (await response.json()) as Record<string, unknown>;
  days.add(londonDate(new Date()));
  return { status: response.status, body: parsed, traceId };
}

/** A legacy query for `nhsNumber` (the example message, with a fresh MessageHeader id: its TraceID). */
async function legacyQuery(nhsNumber: string): Promise<{ status: number; code: string | null; flagId: string | null; traceId: string }> {
  const traceId = randomUUID();
  const message = readFileSync(new URL('../examples/legacy/query.xml', import.meta.url), 'utf8')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(<Bundle xmlns="http:\/\/hl7\.org\/fhir">\s*<id value=")[^"]*"/, `$1${randomUUID()}"`)
    .replace(/(<MessageHeader>\s*<id value=")[^"]*"/, `$1${traceId}"`)
    .replace(/(<name value="NHSNumber"\/>\s*<valueString value=")\d{10}"/, `$1${nhsNumber}"`);
  days.add(londonDate(new Date()));
  const response = await fetch(`${live().baseUrl}/fhir/fgm/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/xml+fhir; charset=utf-8' },
    body: message,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  days.add(londonDate(new Date()));
  return {
    status: response.status,
    traceId,
    code: /<details><coding><system value="[^"]*"\/><code value="([^"]+)"\/>/.exec(text)?.[1] ?? null,
    flagId: /<data><reference value="Flag\/([^"]+)"\/><\/data>/.exec(text)?.[1] ?? null,
  };
}

/** Runs `scripts/audit.ts` (what `npm run audit` runs) as a child process; its exit code and output. */
function audit(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'scripts/audit.ts', ...args],
      { cwd: API_DIR, timeout: COMMAND_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** `audit` with `--persist-to` the server's state and `--format json`; the rows, after checking it succeeded. */
async function auditJson(args: readonly string[]): Promise<{ rows: AuditRow[]; stderr: string }> {
  const result = await audit([...args, '--persist-to', live().stateDir, '--format', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return { rows: JSON.parse(result.stdout) as AuditRow[], stderr: result.stderr };
}

/** A minimal RFC 4180 reader: records of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  return records;
}

/** sha256 of every file under the state's `v3/` (D1, R2, KV, Durable Objects …), by path. */
function stateHashes(stateDir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hashes[path.slice(stateDir.length)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(join(stateDir, 'v3'));
  return hashes;
}

/** A valid NHS number in `nhsNumber`'s archive bucket (its first nine digits plus a multiple of 4096). */
function sameBucketAs(nhsNumber: string): string {
  for (let k = 1; ; k++) {
    const nine = String(Number(nhsNumber.slice(0, 9)) + k * 4096);
    const check = nhsNumberCheckDigit(nine);
    if (check !== undefined) return `${nine}${check}`;
  }
}

const countRows = async () => (await live().queryAuditDb<{ n: number }>('SELECT COUNT(*) AS n FROM audit_events'))[0]?.n;

/** The archived rows the test puts in R2, oldest first, and the keys they are under. */
const archived: { rows: AuditRow[]; keys: string[] } = { rows: [], keys: [] };

/** An archived row, as the archive job writes it (every column of `audit_events`), with ids of its own. */
function archivedRow(recordId: string, occurredAt: string, fields: Partial<AuditRow>): AuditRow {
  return auditRow(recordId, occurredAt, { request_id: randomUUID(), trace_id: randomUUID(), ...fields });
}

describe('operator audit commands against the local sandbox', () => {
  it('makes the interactions: search, add, read, search, refused add, legacy query, remove, refused remove, read, legacy query; another patient; a refusal naming nobody', async () => {
    const search = (nhs: string) => r4('GET', `/Flag?patient:identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhs}`)}`);
    const addBody = {
      resourceType: 'Flag',
      status: 'active',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '902961000000107' }] },
      subject: { identifier: { system: NHS_SYSTEM, value: PATIENT } },
      period: { start: '2024-05-01' },
    };
    const r4Made = (
      sent: { status: number; body: Record<string, unknown>; traceId: string },
      interaction: string,
      nhs: string | null,
      flag: string | null,
    ) =>
      made.push({
        traceId: sent.traceId,
        channel: 'r4',
        interaction,
        status: sent.status,
        code: r4Code(sent.body),
        nhsNumber: nhs,
        flagId: flag,
        user: R4_USER,
      });
    const legacyMade = (sent: { status: number; code: string | null; flagId: string | null; traceId: string }, nhs: string) =>
      made.push({
        traceId: sent.traceId,
        channel: 'messaging',
        interaction: 'query',
        status: sent.status,
        code: sent.code,
        nhsNumber: nhs,
        flagId: sent.flagId,
        user: LEGACY_USER,
      });
    // Workerd's clock moves with I/O: a few milliseconds between requests keep every row's time distinct.
    const gap = () => sleep(20);

    const before = await search(PATIENT);
    expect(before.status).toBe(200);
    expect(before.body.total).toBe(0);
    r4Made(before, 'search', PATIENT, null);
    await gap();

    const added = await r4('POST', '/Flag', addBody);
    expect(added.status).toBe(201);
    flagId = String(added.body.id);
    r4Made(added, 'add', PATIENT, flagId);
    await gap();

    const read = await r4('GET', `/Flag/${flagId}`);
    expect(read.status).toBe(200);
    r4Made(read, 'read', PATIENT, flagId);
    await gap();

    const found = await search(PATIENT);
    expect(found.body.total).toBe(1);
    r4Made(found, 'search', PATIENT, flagId);
    await gap();

    const again = await r4('POST', '/Flag', addBody);
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(r4Code(again.body)).toEqual(expect.any(String));
    r4Made(again, 'add', PATIENT, null);
    await gap();

    const queried = await legacyQuery(PATIENT);
    expect(queried.status).toBe(200);
    expect(queried.flagId).toBe(flagId);
    legacyMade(queried, PATIENT);
    await gap();

    const removed = await r4('PUT', `/Flag/${flagId}`, { resourceType: 'Flag', id: flagId, status: 'entered-in-error', extension: [REMOVAL_REASON] });
    expect(removed.status).toBe(200);
    r4Made(removed, 'remove', PATIENT, flagId);
    await gap();

    const removedAgain = await r4('PUT', `/Flag/${flagId}`, {
      resourceType: 'Flag',
      id: flagId,
      status: 'entered-in-error',
      extension: [REMOVAL_REASON],
    });
    expect(removedAgain.status).toBeGreaterThanOrEqual(400);
    r4Made(removedAgain, 'remove', PATIENT, flagId);
    await gap();

    const readRemoved = await r4('GET', `/Flag/${flagId}`);
    expect(readRemoved.status).toBe(200);
    expect(readRemoved.body.status).toBe('entered-in-error');
    r4Made(readRemoved, 'read', PATIENT, flagId);
    await gap();

    const queriedAfter = await legacyQuery(PATIENT);
    expect(queriedAfter.flagId).toBeNull();
    legacyMade(queriedAfter, PATIENT);
    await gap();

    const other = await search(OTHER_PATIENT);
    expect(other.body.total).toBe(1);
    r4Made(other, 'search', OTHER_PATIENT, SEEDED_FLAG);
    await gap();

    const invalid = await search('9000000010');
    expect(invalid.status).toBeGreaterThanOrEqual(400);
    r4Made(invalid, 'search', null, null);

    // Every row in D1 (reads come through the queue; changes from the ledger).
    const traceIds = made.map((m) => `'${m.traceId}'`).join(', ');
    const deadline = Date.now() + ROWS_WITHIN_MS;
    let rows = 0;
    while (Date.now() < deadline) {
      rows = (await live().queryAuditDb<{ n: number }>(`SELECT COUNT(*) AS n FROM audit_events WHERE trace_id IN (${traceIds})`))[0]?.n ?? 0;
      if (rows >= made.length) break;
      await sleep(500);
    }
    expect(rows).toBe(made.length);
    expect(await countRows()).toBe(made.length);
  }, 120_000);

  it('subject, while the server runs: every row of the patient, in order, from a copy of the state', async () => {
    const { rows, stderr } = await auditJson(['subject', PATIENT]);
    expect(rows.map(shape)).toEqual(made.filter((m) => m.nhsNumber === PATIENT));
    expect(rows.filter((r) => r.record_id.startsWith('change:')).map((r) => r.record_id)).toEqual([`change:${flagId}:1`, `change:${flagId}:2`]);
    expect(rows.every((r) => r.from_asid === SENDER_ASID)).toBe(true);
    expect(stderr).toBe('');
  }, 120_000);

  it('the server stopped, archive objects written as the archive job writes them', async () => {
    await live().stop();
    const d1Add = (await auditJson(['subject', PATIENT])).rows.find((r) => r.record_id === `change:${flagId}:1`);
    if (!d1Add) throw new Error('no add row');
    const bucket = patientBucket(PATIENT);
    const old = [
      archivedRow(`change:${ARCHIVED_FLAG}:1`, '2025-01-10T08:00:00.000Z', { interaction: 'add', status: 201, flag_id: ARCHIVED_FLAG }),
      archivedRow(randomUUID(), '2025-01-10T09:00:00.000Z', { interaction: 'search', flag_id: ARCHIVED_FLAG }),
      archivedRow(randomUUID(), '2025-01-10T09:30:00.000Z', { interaction: 'search', nhs_number: sameBucketAs(PATIENT) }),
      archivedRow(randomUUID(), '2025-01-11T10:00:00.000Z', { interaction: 'read', flag_id: ARCHIVED_FLAG }),
    ];
    const first = (rows: AuditRow[]) => ({ occurredAt: rows[0]?.occurred_at ?? '', recordId: rows[0]?.record_id ?? '' });
    archived.keys = [archiveKey(bucket, '2025-01', first(old)), archiveKey(bucket, d1Add.day.slice(0, 7), first([d1Add]))];
    archived.rows = old.filter((r) => r.nhs_number === PATIENT);
    const { env, dispose } = await localStorage(['r2'], live().stateDir);
    try {
      const archive = r2AuditArchive(env.AUDIT_ARCHIVE);
      await archive.write(archived.keys[0] ?? '', old);
      // A cut-off archive run: the Add's row both in R2 and still in D1.
      await archive.write(archived.keys[1] ?? '', [d1Add]);
    } finally {
      await dispose();
    }
  }, 120_000);

  /** What the commands must not change: the row count, and every byte of the state. */
  const unchanged: { rows?: number | undefined; hashes?: Record<string, string> } = {};

  it('subject: the archived rows of the patient, then every D1 row, each once; no other patient', async () => {
    unchanged.rows = await countRows();
    unchanged.hashes = stateHashes(live().stateDir);

    const { rows, stderr } = await auditJson(['subject', PATIENT]);
    expect(stderr).toBe('');
    expect(rows.slice(0, archived.rows.length)).toEqual(archived.rows);
    expect(rows.slice(archived.rows.length).map(shape)).toEqual(made.filter((m) => m.nhsNumber === PATIENT));
    expect(new Set(rows.map((r) => r.record_id)).size).toBe(rows.length);
    expect(rows.every((r) => r.nhs_number === PATIENT)).toBe(true);

    const csv = await audit(['subject', PATIENT, '--persist-to', live().stateDir, '--format', 'csv']);
    expect(csv.code).toBe(0);
    const [header, ...records] = parseCsv(csv.stdout);
    expect(header).toEqual(Object.keys(rows[0] ?? {}));
    expect(records).toEqual(rows.map((row) => Object.values(row).map((v) => (v === null ? '' : String(v)))));

    const text = await audit(['subject', PATIENT, '--persist-to', live().stateDir, '--format', 'text']);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(rows.length);
    expect(lines.map((line) => line.split(' ')[0])).toEqual(rows.map((r) => r.occurred_at));
  }, 180_000);

  it("day: every interaction of the day, both patients and the refusal naming nobody, in order; not the archive's", async () => {
    const rows: AuditRow[] = [];
    for (const day of [...days].sort()) rows.push(...(await auditJson(['day', day])).rows);
    expect(rows.map(shape)).toEqual(made);
    expect(rows.map((r) => r.day)).toEqual(rows.map((r) => londonDate(new Date(r.occurred_at))));
  }, 120_000);

  it('flag: the rows naming it (the D1 copy in the archive once), who added and removed it, and why', async () => {
    const { rows, stderr } = await auditJson(['flag', flagId]);
    expect(stderr).toBe('');
    expect(rows.map(shape)).toEqual(made.filter((m) => m.flagId === flagId));
    expect(rows.map((r) => r.record_id)).toContain(`change:${flagId}:1`);

    const text = await audit(['flag', flagId, '--persist-to', live().stateDir, '--format', 'text']);
    expect(text.code).toBe(0);
    const add = made.find((m) => m.interaction === 'add' && m.status === 201);
    const remove = made.find((m) => m.interaction === 'remove' && m.status === 200);
    const addRow = rows.find((r) => r.trace_id === add?.traceId);
    const removeRow = rows.find((r) => r.trace_id === remove?.traceId);
    const returned = made.filter((m) => m.flagId === flagId && ['search', 'read', 'query'].includes(m.interaction) && m.status === 200);
    expect(text.stdout).toContain(`Flag ${flagId}, NHS number ${PATIENT}: ${rows.length} audit row(s)`);
    expect(text.stdout).toContain(
      `Added:    ${addRow?.occurred_at} over r4 (add, 201) by user ${R4_USER.sub}, role ${R4_USER.role}, org ${R4_USER.org}, from ASID ${SENDER_ASID}, TraceID ${add?.traceId}`,
    );
    expect(text.stdout).toContain(
      `Removed:  ${removeRow?.occurred_at} over r4 (remove, 200) by user ${R4_USER.sub}, role ${R4_USER.role}, org ${R4_USER.org}, from ASID ${SENDER_ASID}, TraceID ${remove?.traceId}`,
    );
    expect(text.stdout).toContain(
      'Reason:   0 Added in error - this child does not have a family history of FGM (status entered-in-error, version 2',
    );
    expect(text.stdout).toContain(`Returned: ${returned.length} search(es), read(s) and legacy query(ies) answered with it`);
    for (const m of returned) expect(text.stdout).toContain(`trace=${m.traceId}`);
    expect(text.stdout).toContain('Other:    1 refused or failed request(s) naming it');
  }, 120_000);

  it('flag: one only the archive knows, found with --nhs; without it, stderr says why nothing was read', async () => {
    const unknown = await auditJson(['flag', ARCHIVED_FLAG]);
    expect(unknown.rows).toEqual([]);
    expect(unknown.stderr).toContain(`no D1 row names flag ${ARCHIVED_FLAG} and its NHS number is unknown`);
    const known = await auditJson(['flag', ARCHIVED_FLAG, '--nhs', PATIENT]);
    expect(known.rows).toEqual(archived.rows.filter((r) => r.flag_id === ARCHIVED_FLAG));
    expect(known.rows.map((r) => r.interaction)).toEqual(['add', 'search', 'read']);
  }, 120_000);

  it('refuses bad input with exit code 2 and prints no rows', async () => {
    const state = live().stateDir;
    const refusals = [
      ['subject', '9000000010', '--persist-to', state],
      ['subject', "9000000017' OR '1'='1", '--persist-to', state],
      ['day', '2026-13-01', '--persist-to', state],
      ['flag', `${flagId};DELETE`, '--persist-to', state],
      ['flag', flagId, '--persist-to', state, '--format', 'xml'],
      ['subject', PATIENT, '--remote', '--persist-to', state],
      ['subject', PATIENT, '--persist-to', state, '--env', 'production'],
      ['purge', PATIENT, '--persist-to', state],
    ];
    for (const args of refusals) {
      const result = await audit(args);
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(result.stderr).toContain('usage: npm run audit --');
    }
  }, 180_000);

  it('no command changed anything: every file of the state as before, the same row count', async () => {
    expect(stateHashes(live().stateDir)).toEqual(unchanged.hashes);
    expect(await countRows()).toBe(unchanged.rows);
  }, 120_000);

  it("the remote path's wrangler commands, --remote swapped for --local, give the local commands' answers", async () => {
    const stateDir = live().stateDir;
    const real = spawnWrangler(API_DIR);
    const calls: string[][] = [];
    const run: WranglerRunner = (args) => {
      calls.push([...args]);
      return real(args.flatMap((arg) => (arg === '--remote' ? ['--local', '--persist-to', stateDir] : [arg])));
    };
    const target = { config: join(API_DIR, 'wrangler.toml') };
    const sources = {
      select: remoteSelect(run, target),
      archive: listedArchive(archived.keys, remoteArchiveObject(run, target, 'fgm-is-audit-archive')),
      archiveListed: false,
      storedFlag: remoteStoredFlag(run, target),
    };
    const today = londonDate(new Date());
    const notes: string[] = [];
    const subject = await answerAudit({ kind: 'subject', value: PATIENT, format: 'json', remote: true }, sources, (l) => notes.push(l), today);
    expect(subject.rows).toEqual((await auditJson(['subject', PATIENT])).rows);
    const flag = await answerAudit({ kind: 'flag', value: flagId, format: 'json', remote: true }, sources, (l) => notes.push(l), today);
    expect(flag.rows).toEqual((await auditJson(['flag', flagId])).rows);
    expect(flag.flag?.stored).toMatchObject({ nhsNumber: PATIENT, status: 'entered-in-error', versionId: '2', reason: { code: '0' } });
    expect(calls.map((c) => c.slice(0, 3).join(' '))).toEqual([
      'd1 execute AUDIT_DB',
      'r2 object get',
      'r2 object get',
      'kv key get',
      'd1 execute AUDIT_DB',
      'r2 object get',
      'r2 object get',
    ]);
    expect(notes).toHaveLength(2);
  }, 240_000);
});
