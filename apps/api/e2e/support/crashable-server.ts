/**
 * A real local server that can be crashed: `wrangler dev` of the API with the
 * docs Worker beside it (what `npm start` runs) on 127.0.0.1 over a state
 * directory that outlives it (under `apps/api/.wrangler/e2e/`: nothing is
 * written outside the repository), so a test can SIGKILL the server's whole
 * process group (npx, wrangler and workerd at once, as a power cut or an OOM
 * kill would) and start it again on the SAME state, as `npm start` would
 * after a crash. Seeded with the sandbox seeder; the audit trail is read
 * from the persisted local D1 with `wrangler d1 execute --local`, as the
 * README shows. `server.ts` starts one of these once for the other
 * end-to-end tests. Holds no test logic.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localEnv } from '../../../../tools/local-env.mjs';

/** apps/api: where `npm start` runs wrangler and the seeder from. */
const API_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** Where each server's state directory is made (git-ignored, like every `.wrangler/`). */
const STATE_ROOT = join(API_DIR, '.wrangler', 'e2e');
/** The configurations `npm start` serves, the API's first (the primary Worker, which gets the port). */
const CONFIGS = ['-c', 'wrangler.toml', '-c', '../docs/wrangler.toml'];
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;
const D1_QUERY_TIMEOUT_MS = 60_000;
/** How much of wrangler's output is kept for error messages. */
const OUTPUT_LIMIT_CHARS = 20_000;
/** The environment `npm start` gives wrangler (tools/local-env.mjs): its files in apps/api/.wrangler, no metrics, no banner. */
const wranglerEnv = () => localEnv(API_DIR);

/** What a SIGKILL of the process group left behind. */
export interface CrashReport {
  /** The process group that was killed (the npx leader's pid). */
  readonly pgid: number;
  /** How many processes the group had when it was killed (npx, wrangler, workerd …). */
  readonly processesKilled: number;
  /** Processes of the group still running after the wait (should be none). */
  readonly survivors: readonly string[];
  /** Processes of the group left as zombies nobody has reaped yet (they hold no port or file any more). */
  readonly zombies: number;
}

/** A server over one state directory, started, crashed and restarted at will. */
export interface CrashableServer {
  /** The persisted state (`wrangler dev --persist-to`), the same across restarts. */
  readonly stateDir: string;
  /** The origin of the running server, e.g. `http://127.0.0.1:43123`; throws when none is running. */
  readonly baseUrl: string;
  /** Starts `wrangler dev` over the state directory on a free port and resolves once `GET /_ping` is 200; returns how long it took. */
  start(): Promise<number>;
  /** SIGKILLs the running server's whole process group, at once, and waits (bounded) until no process of it runs. */
  crash(): Promise<CrashReport>;
  /** Stops the running server gracefully (SIGTERM, then SIGKILL), if one runs. */
  stop(): Promise<void>;
  /** Runs one SQL statement against the persisted local D1 audit database; the rows, as JSON objects. */
  queryAuditDb<Row = Record<string, unknown>>(sql: string): Promise<Row[]>;
  /** The last part of the current (or last) server's output, for error messages. */
  output(): string;
  /** Stops whatever runs and removes the state directory. Safe to call more than once. */
  dispose(): Promise<void>;
}

/** Options of {@link createCrashableServer}. */
export interface ServerOptions {
  /** An env file for `wrangler dev --env-file` (settings over wrangler.toml's vars, as a .dev.vars would give). */
  readonly envFile?: string;
  /** `wrangler dev --minify`: the Worker bundled as the deployments bundle it (wrangler.toml: minify, no keep_names). */
  readonly minify?: boolean;
}

/** Creates a fresh state directory seeded with the sandbox fixtures (no server started yet). */
export async function createCrashableServer(options: ServerOptions = {}): Promise<CrashableServer> {
  await mkdir(STATE_ROOT, { recursive: true });
  const stateDir = await mkdtemp(join(STATE_ROOT, 'state-'));
  try {
    await seed(stateDir);
  } catch (error) {
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
  let current: { child: ChildProcess; baseUrl: string } | undefined;
  let output = new OutputTail();
  let disposed: Promise<void> | undefined;

  const stop = async (): Promise<void> => {
    const running = current;
    current = undefined;
    if (running) await stopProcessGroup(running.child);
  };

  return {
    stateDir,
    get baseUrl(): string {
      if (!current) throw new Error('no server is running');
      return current.baseUrl;
    },
    async start() {
      if (current) throw new Error('a server is already running');
      const started = Date.now();
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      output = new OutputTail();
      const envFile = options.envFile ? ['--env-file', options.envFile] : [];
      const minify = options.minify ? ['--minify'] : [];
      const child = spawn(
        'npx',
        ['wrangler', 'dev', ...CONFIGS, ...envFile, ...minify, '--ip', '127.0.0.1', '--port', String(port), '--persist-to', stateDir],
        {
          cwd: API_DIR,
          env: wranglerEnv(),
          // Its own process group, so crash() and stop() reach npx, wrangler and workerd together.
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      current = { child, baseUrl };
      let spawnError: Error | undefined;
      child.once('error', (error) => {
        spawnError = error;
      });
      const tail = output;
      child.stdout?.on('data', (data: Buffer) => tail.add(data));
      child.stderr?.on('data', (data: Buffer) => tail.add(data));
      try {
        await waitUntilReady(baseUrl, tail, () => {
          if (spawnError) return `could not start: ${spawnError.message}`;
          return hasExited(child) ? `exited (${child.exitCode ?? child.signalCode})` : undefined;
        });
      } catch (error) {
        await stop().catch(() => undefined);
        throw error;
      }
      return Date.now() - started;
    },
    async crash() {
      const running = current;
      if (!running) throw new Error('no server is running to crash');
      current = undefined;
      const pgid = running.child.pid;
      if (pgid === undefined) throw new Error('the server has no pid');
      const processesKilled = (await groupMembers(pgid)).length;
      signalGroup(pgid, 'SIGKILL');
      await groupGone(pgid, STOP_TIMEOUT_MS);
      const left = await groupMembers(pgid);
      return {
        pgid,
        processesKilled,
        survivors: left.filter((p) => p.state !== 'Z').map((p) => `${p.pid} ${p.command} (${p.state})`),
        zombies: left.filter((p) => p.state === 'Z').length,
      };
    },
    stop,
    async queryAuditDb<Row>(sql: string): Promise<Row[]> {
      const stdout = await run(
        'npx',
        ['wrangler', 'd1', 'execute', 'AUDIT_DB', '--local', '--persist-to', stateDir, '--json', '--command', sql],
        D1_QUERY_TIMEOUT_MS,
        // The signer of sandbox tokens sets WRANGLER_LOG=error in this process, which would silence the JSON.
        { WRANGLER_LOG: 'log' },
      );
      const parsed = JSON.parse(stdout.slice(stdout.indexOf('['))) as { results?: Row[]; success?: boolean }[];
      return parsed.flatMap((result) => {
        if (result.success === false) throw new Error(`D1 query failed: ${stdout.slice(0, 2_000)}`);
        return result.results ?? [];
      });
    },
    output: () => output.text(),
    dispose() {
      disposed ??= stop().finally(() => rm(stateDir, { recursive: true, force: true }));
      return disposed;
    },
  };
}

/** @internal Runs the sandbox seeder (`scripts/seed-sandbox.ts`) against `stateDir`. */
async function seed(stateDir: string): Promise<void> {
  await run('npx', ['tsx', 'scripts/seed-sandbox.ts', '--persist-to', stateDir], 90_000, { WRANGLER_LOG: 'error' });
}

/**
 * @internal Runs a command in apps/api; its stdout, or a rejection with both outputs. (`wrangler d1 execute --json`
 * prints its JSON at wrangler's "log" level.)
 */
function run(command: string, args: readonly string[], timeoutMs: number, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: API_DIR, env: { ...wranglerEnv(), ...env }, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.slice(0, 4).join(' ')} … failed: ${error.message}\n${stdout.slice(-4_000)}${stderr.slice(-4_000)}`));
        else resolve(stdout);
      },
    );
  });
}

/** @internal A TCP port free on 127.0.0.1 just now (listened on as port 0, then closed). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port was assigned'));
      });
    });
  });
}

/** @internal Polls `GET /_ping` until it is 200; fails early when `gone` says why wrangler is not running any more. */
async function waitUntilReady(baseUrl: string, output: OutputTail, gone: () => string | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    const problem = gone();
    if (problem) throw new Error(`wrangler dev ${problem} before ${baseUrl}/_ping answered:\n${output.text()}`);
    try {
      const response = await fetch(`${baseUrl}/_ping`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastProblem = `status ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`wrangler dev did not answer ${baseUrl}/_ping with 200 within ${READY_TIMEOUT_MS / 1000} s (${lastProblem}):\n${output.text()}`);
}

/** @internal SIGTERM to the child's process group, SIGKILL if it is still there after {@link STOP_TIMEOUT_MS}; waits for it to go. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = hasExited(child) ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(pid, 'SIGTERM');
  if (!(await groupGone(pid, STOP_TIMEOUT_MS))) {
    signalGroup(pid, 'SIGKILL');
    await groupGone(pid, STOP_TIMEOUT_MS);
  }
  await Promise.race([exited, sleep(STOP_TIMEOUT_MS)]);
}

/** One process of a group, from /proc. */
interface GroupMember {
  readonly pid: number;
  readonly command: string;
  /** The state letter of /proc/{pid}/stat: R, S, D, Z … */
  readonly state: string;
}

/** @internal The processes whose process group is `pgid` (Linux /proc; empty where there is none). */
async function groupMembers(pgid: number): Promise<GroupMember[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const members: GroupMember[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so split after the last ')'.
      const close = stat.lastIndexOf(')');
      const [state = '?', , pgrp] = stat.slice(close + 2).split(' ');
      if (Number(pgrp) === pgid) members.push({ pid: Number(entry), command: stat.slice(stat.indexOf('(') + 1, close), state });
    } catch {
      // The process ended while being read.
    }
  }
  return members;
}

/** @internal Waits up to `timeoutMs` until no process of the group runs (zombies, which hold nothing, are not counted); true when so. */
async function groupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!groupAlive(pgid)) return true;
    const members = await groupMembers(pgid);
    if (members.length > 0 && members.every((p) => p.state === 'Z')) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

/** @internal Whether the child process has exited (and been reaped). */
function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** @internal Signals a process group, ignoring that it has already gone. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** @internal Whether any process of the group is left (zombies included). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** @internal Resolves after `ms` milliseconds. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** @internal The last {@link OUTPUT_LIMIT_CHARS} characters of a process's output. */
class OutputTail {
  #text = '';

  add(data: Buffer): void {
    this.#text = (this.#text + data.toString('utf8')).slice(-OUTPUT_LIMIT_CHARS);
  }

  text(): string {
    return this.#text || '(no output)';
  }
}
