/**
 * `npm run audit -- <command>`: the operator's read-only view of the audit
 * trail (D-15), of the local sandbox or, with `--remote`, of a deployment.
 * Nothing here writes to the trail: every D1 statement is one SELECT
 * (`audit-query.ts`), a deployment is read through the three wrangler read
 * commands only (`audit-remote.ts`), and the local sandbox is read from a
 * copy of its state, so not even Miniflare opening it touches the original.
 *
 *   subject <nhs-number>   a subject access request: every access and change
 *                          naming the patient, both channels, D1 and the
 *                          archive, oldest first (auditForSubject)
 *   day <yyyy-mm-dd>       a day's accesses (Europe/London date), from D1
 *   flag <flag-id>         the history of one flag: who added and removed
 *                          it, and every request that returned or named it
 *
 * Options: `--format json|csv|text` (json by default); locally `--persist-to
 * <dir>` (as `wrangler dev --persist-to`); `--remote` with `--env <name>` and
 * `--archive-keys <file>`; for a flag, `--nhs <nhs-number>`. Exit codes: 0
 * answered (notes on stderr), 1 the trail could not be read, 2 a bad command
 * line (nothing read).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { londonDate } from '@fgm-is/rules';
import type { AuditRow } from '../src/audit/archive-store.ts';
import { archivePrefix, patientBucket } from '../src/audit/partition.ts';
import { r2AuditArchive } from '../src/audit/r2-archive.ts';
import { flagKey } from '../src/storage/keys.ts';
import { type AuditAnswer, answerAudit } from './audit-answer.ts';
import { formatRows } from './audit-format.ts';
import { type AuditCommand, assertReadOnlySelect, listedArchive, parseArchiveKeys, parseAuditArgs } from './audit-query.ts';
import { remoteArchiveObject, remoteSelect, remoteStoredFlag, spawnWrangler } from './audit-remote.ts';
import { DEFAULT_STATE, localStorage } from './local-storage.ts';

/** apps/api, where wrangler runs and its configuration is. */
const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const WRANGLER_CONFIG = join(API_DIR, 'wrangler.toml');

/** A command line the script refuses: exit 2, nothing read. */
class UsageError extends Error {}

const warn = (line: string) => console.warn(line);

/**
 * Reads the local sandbox: its D1, R2 and (for a flag) KV state copied first
 * (SQLite's shared-memory files left behind: they are rebuilt from the
 * database and its log), then opened through Miniflare, then the copy
 * removed. A server running on the state meanwhile is not disturbed; what it
 * writes during the copy may be missed.
 */
async function answerLocally(command: AuditCommand): Promise<AuditAnswer> {
  const statePath = command.persistTo ? resolve(command.persistTo) : DEFAULT_STATE;
  if (!existsSync(join(statePath, 'v3', 'd1'))) {
    throw new Error(`no local audit trail in ${statePath} (start the sandbox once with npm start, or give --persist-to <dir>)`);
  }
  const kinds = command.kind === 'flag' ? (['d1', 'r2', 'kv'] as const) : command.kind === 'subject' ? (['d1', 'r2'] as const) : (['d1'] as const);
  const scratch = join(API_DIR, '.wrangler', 'tmp');
  mkdirSync(scratch, { recursive: true });
  const copy = mkdtempSync(join(scratch, 'audit-read-'));
  try {
    for (const kind of kinds) {
      const from = join(statePath, 'v3', kind);
      if (existsSync(from)) cpSync(from, join(copy, 'v3', kind), { recursive: true, filter: (source) => !source.endsWith('-shm') });
    }
    const { env, dispose } = await localStorage(kinds, copy);
    try {
      return await answerAudit(
        command,
        {
          select: async (sql) => (await env.AUDIT_DB.prepare(assertReadOnlySelect(sql)).all<AuditRow>()).results,
          archive: r2AuditArchive(env.AUDIT_ARCHIVE),
          archiveListed: true,
          storedFlag: (flagId) => env.FLAGS.get(flagKey(flagId), 'text'),
        },
        warn,
        londonDate(new Date()),
      );
    } finally {
      await dispose();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Reads a deployment through wrangler: D1, the archive objects named by `--archive-keys`, and (for a flag) its stored record. */
async function answerRemotely(command: AuditCommand): Promise<AuditAnswer> {
  let keys: string[] = [];
  if (command.archiveKeysFile) {
    const parsed = parseArchiveKeys(readFileSync(resolve(command.archiveKeysFile), 'utf8'));
    if (parsed.bad !== undefined) throw new UsageError(`--archive-keys: not an audit archive key: ${parsed.bad}`);
    keys = parsed.keys;
    if (command.kind === 'subject') {
      const prefix = archivePrefix(patientBucket(command.value));
      const stray = keys.find((key) => !key.startsWith(prefix));
      if (stray) throw new UsageError(`--archive-keys: ${stray} is not under the patient's prefix ${prefix}`);
    }
  }
  const run = spawnWrangler(API_DIR);
  const target = { config: WRANGLER_CONFIG, env: command.env };
  let bucket = '';
  if (keys.length > 0) {
    process.env.WRANGLER_LOG ??= 'error';
    const { unstable_readConfig } = await import('wrangler');
    const config = unstable_readConfig({ config: WRANGLER_CONFIG, ...(command.env ? { env: command.env } : {}) });
    bucket = config.r2_buckets.find((b: { binding: string }) => b.binding === 'AUDIT_ARCHIVE')?.bucket_name ?? '';
    if (!bucket) throw new Error(`no AUDIT_ARCHIVE bucket in ${WRANGLER_CONFIG}${command.env ? ` for --env ${command.env}` : ''}`);
  }
  const getObject = remoteArchiveObject(run, target, bucket);
  return answerAudit(
    command,
    {
      select: remoteSelect(run, target),
      archive: listedArchive(keys, getObject),
      archiveListed: false,
      storedFlag: remoteStoredFlag(run, target),
    },
    warn,
    londonDate(new Date()),
  );
}

const parsed = parseAuditArgs(process.argv.slice(2));
if (!parsed.ok) {
  console.error(parsed.message);
  process.exit(2);
}
const { command } = parsed;
try {
  const answer = command.remote ? await answerRemotely(command) : await answerLocally(command);
  process.stdout.write(formatRows(answer.rows, command.format, answer.flag));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof UsageError ? 2 : 1);
}
