/**
 * `npm run audit -- … --remote`: the audit trail of a deployment, read
 * through wrangler (its login or `CLOUDFLARE_API_TOKEN`), and nothing but
 * read. Three wrangler commands are ever run, each checked by
 * {@link readOnlyWrangler} before it is:
 *
 * - `wrangler d1 execute AUDIT_DB --remote --json --command "SELECT …"`:
 *   one SELECT of `audit-query.ts`, values validated and inlined;
 * - `wrangler r2 object get <bucket>/<key> --remote --pipe`: an archive
 *   object the operator named (wrangler 4.86 has no command that lists R2
 *   objects, so the archive cannot be found from here);
 * - `wrangler kv key get flag:<id> --binding FLAGS --remote`: a flag's stored
 *   record, for its removal reason (the audit trail has no column for it).
 *
 * The runner is a function, so tests inject a fake one and never need a
 * Cloudflare account.
 */
import { execFile } from 'node:child_process';
import type { AuditRow } from '../src/audit/archive-store.ts';
import { NotReadOnlyError, type SelectRunner, assertReadOnlySelect, isArchiveKey } from './audit-query.ts';

/** Runs wrangler with `args` (no shell); resolves with its stdout, rejects when it fails. */
export type WranglerRunner = (args: readonly string[]) => Promise<string>;

/** Which deployment: the wrangler configuration file and environment. */
export interface RemoteTarget {
  /** The API Worker's wrangler configuration (`apps/api/wrangler.toml`). */
  readonly config: string;
  /** The wrangler environment (`--env production`); absent: the top-level one. */
  readonly env?: string | undefined;
}

/** @internal The only wrangler commands the operator tools run. */
const READ_COMMANDS = [
  ['d1', 'execute'],
  ['r2', 'object', 'get'],
  ['kv', 'key', 'get'],
] as const;

/** @internal Options that would make wrangler write, read a file of statements, or act on local state. */
const REFUSED_OPTIONS = new Set(['--file', '--local', '--persist-to', '--preview', '--yes', '-y']);

/** @internal The value following `name` in `args`, once; refuses a repeated option. */
function optionValue(args: readonly string[], name: string): string | undefined {
  const at = args.flatMap((arg, i) => (arg === name || arg.startsWith(`${name}=`) ? [i] : []));
  if (at.length > 1) throw new NotReadOnlyError(`${name} given twice`);
  const i = at[0];
  if (i === undefined) return undefined;
  const arg = args[i] ?? '';
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1];
}

/**
 * Wraps a runner so that it runs only the three read commands, against the
 * deployment (`--remote`), and of D1 only one SELECT given as `--command`
 * (no `--file`): anything else throws {@link NotReadOnlyError} and runs
 * nothing.
 */
export function readOnlyWrangler(run: WranglerRunner): WranglerRunner {
  return (args) => {
    const command = READ_COMMANDS.find((words) => words.every((word, i) => args[i] === word));
    if (!command) throw new NotReadOnlyError(`not a read command: wrangler ${args.slice(0, 3).join(' ')}`);
    if (!args.includes('--remote')) throw new NotReadOnlyError('a remote read says --remote');
    const refused = args.find((arg) => REFUSED_OPTIONS.has(arg.split('=')[0] ?? arg));
    if (refused) throw new NotReadOnlyError(`refused option ${refused}`);
    if (command[0] === 'd1') {
      const sql = optionValue(args, '--command');
      if (sql === undefined) throw new NotReadOnlyError('D1 is read with one --command');
      assertReadOnlySelect(sql);
    } else if (command[0] === 'r2') {
      const path = args[3] ?? '';
      const key = path.slice(path.indexOf('/') + 1);
      if (!args.includes('--pipe') || !isArchiveKey(key)) throw new NotReadOnlyError('R2 is read to stdout (--pipe), archive keys only');
    } else if (!/^flag:[A-Za-z0-9.-]{1,64}$/.test(args[3] ?? '')) {
      throw new NotReadOnlyError('KV is read for a flag:{id} key only');
    }
    return run(args);
  };
}

/** @internal `--config` and `--env`, as every command of a target takes them. */
const targetArgs = (target: RemoteTarget): string[] => ['--config', target.config, ...(target.env ? ['--env', target.env] : [])];

/**
 * The rows of `wrangler d1 execute --json` output: an array of results, one
 * per statement (one here), each `{ results, success, meta }`. Anything
 * else, or a result that did not succeed, throws with the output's start.
 */
export function parseD1Json(stdout: string): AuditRow[] {
  const start = stdout.indexOf('[');
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.slice(start === -1 ? 0 : start));
  } catch {
    throw new Error(`wrangler d1 execute gave no JSON result: ${stdout.slice(0, 500)}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`wrangler d1 execute gave no result array: ${stdout.slice(0, 500)}`);
  return parsed.flatMap((result: { results?: AuditRow[]; success?: boolean }) => {
    if (result?.success !== true || !Array.isArray(result.results)) throw new Error(`a D1 query failed: ${stdout.slice(0, 500)}`);
    return result.results;
  });
}

/** A {@link SelectRunner} over the deployed D1 (`AUDIT_DB` of the target's configuration and environment). */
export function remoteSelect(run: WranglerRunner, target: RemoteTarget): SelectRunner {
  const wrangler = readOnlyWrangler(run);
  return async (sql) =>
    parseD1Json(await wrangler(['d1', 'execute', 'AUDIT_DB', '--remote', '--json', ...targetArgs(target), '--command', assertReadOnlySelect(sql)]));
}

/** Reads one archive object of the deployed R2 bucket `bucket` (its name, as `wrangler r2 object get` takes it); its text. */
export function remoteArchiveObject(run: WranglerRunner, target: RemoteTarget, bucket: string): (key: string) => Promise<string> {
  const wrangler = readOnlyWrangler(run);
  return (key) => wrangler(['r2', 'object', 'get', `${bucket}/${key}`, '--remote', '--pipe', ...targetArgs(target)]);
}

/** Reads a flag's stored record (`FLAGS`, `flag:{id}`) of the deployment; its text, or null when wrangler says there is none. */
export function remoteStoredFlag(run: WranglerRunner, target: RemoteTarget): (flagId: string) => Promise<string | null> {
  const wrangler = readOnlyWrangler(run);
  return async (flagId) => {
    const text = await wrangler(['kv', 'key', 'get', `flag:${flagId}`, '--binding', 'FLAGS', '--remote', ...targetArgs(target)]);
    return text.trim() === '' || text.trim() === 'Value not found' ? null : text;
  };
}

/**
 * The runner that spawns the repository's wrangler (`npx wrangler`, no
 * shell) in `cwd`, with its JSON output on (wrangler prints `--json` results
 * at its "log" level) and no banner or metrics; up to 256 MiB of output.
 */
export function spawnWrangler(cwd: string, timeoutMs = 300_000): WranglerRunner {
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        'npx',
        ['wrangler', ...args],
        {
          cwd,
          env: { ...process.env, WRANGLER_LOG: 'log', WRANGLER_HIDE_BANNER: 'true', WRANGLER_SEND_METRICS: 'false' },
          maxBuffer: 256 * 1024 * 1024,
          timeout: timeoutMs,
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          if (error)
            reject(new Error(`wrangler ${args.slice(0, 3).join(' ')} failed: ${error.message}\n${stderr.slice(-2_000)}${stdout.slice(-2_000)}`));
          else resolve(stdout);
        },
      );
    });
}
