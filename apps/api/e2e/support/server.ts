/**
 * The real local server for end-to-end tests: `wrangler dev` (what `npm
 * start` runs) on 127.0.0.1 and a free port, over its own freshly seeded
 * state directory, so tests talk to it over real HTTP exactly as a client
 * of the sandbox would. Holds no test logic: API and browser tests share it.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A running sandbox server. */
export interface SandboxServer {
  /** Its origin, e.g. `http://127.0.0.1:43123` (no trailing slash). */
  readonly baseUrl: string;
  /** Stops the server (its whole process group) and removes its state directory. */
  stop(): Promise<void>;
}

/** apps/api: where `npm start` runs wrangler and the seeder from. */
const API_DIR = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** How much of wrangler's output is kept for error messages. */
const OUTPUT_LIMIT_CHARS = 20_000;

/**
 * Seeds a fresh temporary state directory with the sandbox fixtures, starts
 * `wrangler dev` over it on 127.0.0.1 and a free port, and resolves once
 * `GET /_ping` answers 200. Rejects (with wrangler's output) if it does not
 * within 60 s, after stopping what it started.
 */
export async function startSandboxServer(): Promise<SandboxServer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'fgm-is-e2e-'));
  let child: ChildProcess | undefined;
  try {
    await seed(stateDir);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const output = new OutputTail();
    child = spawn(
      'npx',
      ['wrangler', 'dev', '--config', '../../wrangler.toml', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', stateDir],
      {
        cwd: API_DIR,
        // CI (and the rest of the environment) passed through.
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
        // Its own process group, so stop() ends wrangler, workerd and npx together.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const started = child;
    let spawnError: Error | undefined;
    started.once('error', (error) => {
      spawnError = error;
    });
    started.stdout?.on('data', (data: Buffer) => output.add(data));
    started.stderr?.on('data', (data: Buffer) => output.add(data));
    await waitUntilReady(baseUrl, output, () => {
      if (spawnError) return `could not start: ${spawnError.message}`;
      return hasExited(started) ? `exited (${started.exitCode ?? started.signalCode})` : undefined;
    });
    let stopping: Promise<void> | undefined;
    return {
      baseUrl,
      stop: () => {
        stopping ??= stopProcessGroup(started).finally(() => rm(stateDir, { recursive: true, force: true }));
        return stopping;
      },
    };
  } catch (error) {
    if (child) await stopProcessGroup(child).catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
}

/** @internal Runs the sandbox seeder (`scripts/seed-sandbox.ts`) against `stateDir`. */
function seed(stateDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'npx',
      ['tsx', 'scripts/seed-sandbox.ts', '--persist-to', stateDir],
      { cwd: API_DIR, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`seeding ${stateDir} failed: ${error.message}\n${stdout}${stderr}`));
        else resolve();
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

/**
 * @internal Polls `GET /_ping` until it is 200; fails early when `gone` says
 * why wrangler is not running any more, and after {@link READY_TIMEOUT_MS}.
 */
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

/** @internal Sends SIGTERM to the child's process group, SIGKILL if it is still there after {@link STOP_TIMEOUT_MS}, and waits for it to go. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = hasExited(child) ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(pid, 'SIGTERM');
  // The group can outlive its leader (npx) while wrangler and workerd shut down.
  if (!(await groupGone(pid, STOP_TIMEOUT_MS))) {
    signalGroup(pid, 'SIGKILL');
    // Bounded: a process nobody reaps stays in the group as a zombie, though it holds no port any more.
    await groupGone(pid, STOP_TIMEOUT_MS);
  }
  await exited;
}

/** @internal Waits up to `timeoutMs` for a process group to be gone; true when it is. */
async function groupGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/** @internal Whether the child process has exited (and been reaped). */
function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** @internal Signals a process group, ignoring that it has already gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** @internal Whether any process of the group is left. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
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
