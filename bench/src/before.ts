/**
 * Side by side with an earlier commit, in the same bench run (`npm run bench
 * -- --before <rev>`): that commit's bench Worker, from a git worktree of it
 * under `bench/.before/` (inside the repository, git-ignored), started beside
 * this checkout's. Each Worker's search (hit and miss) is timed against its
 * own bare-KV baseline, the two Workers in alternating rounds so that drift
 * in the machine falls on both alike; then each one's own work per search
 * inside workerd.
 *
 * The earlier commit runs on this checkout's installed packages (its
 * `node_modules` are links to these), `@fgm-is/rules` included: the
 * comparison is of the Worker's code, not of dependency versions.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outerEnv } from '../../tools/local-env.mjs';
import { type LoadFigures, type LoadSpec, compare } from './load.ts';
import { type WorkerdFigures, benchWorkerdCpu } from './workerd-cpu.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * One comparison's pooled figures: p50 of ours and of its baseline and their
 * ratio, and the ratio of each round on its own, lowest and highest (how far
 * the machine moves it within one run).
 */
interface Pooled {
  readonly ours: LoadFigures;
  readonly baseline: LoadFigures;
  readonly ratio: number;
  readonly roundRatios: { readonly min: number; readonly max: number };
}

/** One Worker's search figures, hit and miss. */
interface SearchFigures {
  readonly hit: Pooled;
  readonly miss: Pooled;
  readonly workerdOwnMicros: Pick<WorkerdFigures, 'searchHit' | 'searchMiss'>;
}

/** The two commits' figures from one run. */
export interface BeforeAfter {
  readonly before: { readonly commit: string } & SearchFigures;
  readonly after: { readonly commit: string } & SearchFigures;
}

/** @internal How long a bench server may take to start (wrangler, workerd, the sandbox loaded), and to stop. */
const STARTUP_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/** @internal A worktree of `commit` whose packages are this checkout's. */
function worktreeOf(commit: string): string {
  const dir = join(REPO, 'bench/.before', commit);
  if (!existsSync(dir)) {
    mkdirSync(dirname(dir), { recursive: true });
    execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: REPO, stdio: 'ignore', env: outerEnv() });
  }
  for (const folder of ['', 'apps/api', 'apps/docs', 'bench', 'packages/fgm-rules', 'packages/spec-oracle']) {
    const from = join(REPO, folder, 'node_modules');
    const to = join(dir, folder, 'node_modules');
    if (existsSync(from) && existsSync(join(dir, folder)) && !existsSync(to)) symlinkSync(from, to);
  }
  // What that commit's Worker imports from a build: the docs' text modules (in apps/api then, in apps/docs since).
  if (existsSync(join(dir, 'apps/api/scripts/build-docs.ts'))) {
    execFileSync(join(REPO, 'node_modules/.bin/tsx'), ['scripts/build-docs.ts'], { cwd: join(dir, 'apps/api'), stdio: 'ignore' });
  }
  return dir;
}

/**
 * Starts a checkout's bench Worker on 127.0.0.1 with the sandbox loaded (D1
 * migrations, fixtures), in a Node process of its own (`serve.ts`): wrangler
 * and Miniflare there, workerd beneath them, and this process only the
 * client. Started in this process, every line the Worker logs was read and
 * parsed on the load client's own event loop, ahead of the responses it was
 * timing (measured: search p50 1.42× the baseline with the request log,
 * 1.13× with it switched off, same run). Its base URL and a disposer.
 */
export async function startBench(dir: string): Promise<{ base: string; dispose: () => Promise<void> }> {
  const server = spawn(join(REPO, 'node_modules/.bin/tsx'), [fileURLToPath(new URL('./serve.ts', import.meta.url)), dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
    // Its own process group, so that a server which will not stop is killed whole (tsx, Node, wrangler, workerd).
    detached: true,
  });
  const killGroup = () => {
    try {
      if (server.pid !== undefined) process.kill(-server.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`bench server for ${dir} was not ready in ${STARTUP_TIMEOUT_MS / 1000} s`));
    }, STARTUP_TIMEOUT_MS);
    const onData = (chunk: string) => {
      text += chunk;
      const lines = text.split('\n');
      text = lines.pop() ?? '';
      const line = lines.find((l) => l.startsWith('{"base":'));
      if (!line) return;
      // The address; nothing after it is read here.
      clearTimeout(timer);
      server.stdout.off('data', onData);
      server.stdout.resume();
      resolve((JSON.parse(line) as { base: string }).base);
    };
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', onData);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench server for ${dir} exited (${code}) before it was ready`));
    });
  });
  // The server stops when its stdin closes (here, or when this process dies); one that does not is killed.
  const dispose = async () => {
    server.stdin.end();
    const killer = setTimeout(killGroup, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killer);
  };
  return { base, dispose };
}

/** @internal Search hit and miss, ours against the Worker's own baseline. */
function searchSpecs(base: string, headers: Record<string, string>) {
  const spec = (url: string): LoadSpec => ({ request: () => ({ url, init: { headers } }), expectStatus: 200 });
  const search = (nhs: string) => spec(`${base}/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${nhs}`);
  return {
    hit: [search('9000000009'), spec(`${base}/__baseline/search?nhs=9000000009`)] as const,
    miss: [search('9000000017'), spec(`${base}/__baseline/search?nhs=9000000017`)] as const,
  };
}

/** @internal Pools rounds of one comparison into one set of figures (p50 of the pooled p50s per round). */
function pooled(rounds: { ours: LoadFigures; baseline: LoadFigures }[]): Pooled {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const pick = (side: 'ours' | 'baseline'): LoadFigures => ({
    requests: rounds.reduce((n, r) => n + r[side].requests, 0),
    requestsPerSecond: median(rounds.map((r) => r[side].requestsPerSecond)),
    p50Ms: median(rounds.map((r) => r[side].p50Ms)),
    p99Ms: median(rounds.map((r) => r[side].p99Ms)),
    unexpected: rounds.reduce((n, r) => n + r[side].unexpected, 0),
  });
  const ours = pick('ours');
  const baseline = pick('baseline');
  const each = rounds.map((r) => r.ours.p50Ms / r.baseline.p50Ms);
  return { ours, baseline, ratio: ours.p50Ms / baseline.p50Ms, roundRatios: { min: Math.min(...each), max: Math.max(...each) } };
}

/**
 * Runs the comparison: `commit` (before) against this checkout's Worker
 * (after, already started at `afterBase`), `requests` searches of each kind
 * per Worker in `rounds` alternating rounds, and `workerdRequests` per
 * Worker and round for the CPU figures, in `cpuRounds` alternating rounds
 * (the median of each figure is reported).
 */
export async function benchBefore(
  commit: string,
  after: { base: string; commit: string },
  headers: Record<string, string>,
  legacyQuery: string,
  counts: { requests: number; rounds: number; workerdRequests: number; cpuRounds: number },
): Promise<BeforeAfter> {
  const sha = execFileSync('git', ['rev-parse', '--short=12', commit], { cwd: REPO, encoding: 'utf8', env: outerEnv() }).trim();
  const before = await startBench(worktreeOf(sha));
  try {
    const token = (headers.Authorization ?? '').replace(/^Bearer /, '');
    const specs = { before: searchSpecs(before.base, headers), after: searchSpecs(after.base, headers) };
    const per = Math.ceil(counts.requests / counts.rounds);
    const rounds = { before: { hit: [], miss: [] }, after: { hit: [], miss: [] } } as Record<
      'before' | 'after',
      Record<'hit' | 'miss', { ours: LoadFigures; baseline: LoadFigures }[]>
    >;
    for (const side of ['before', 'after'] as const) await compare(...specs[side].hit, 100, 1, 1);
    for (let round = 0; round < counts.rounds; round++) {
      for (const kind of ['hit', 'miss'] as const) {
        for (const side of round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
          rounds[side][kind].push(await compare(...specs[side][kind], per, 1, 2));
        }
      }
    }
    // Our own work per search, in alternating rounds too: one Worker measured after the other drifted with the machine
    // by more than the difference sought (3 rounds each, same two commits: 70–104 µs before, 61–98 µs after).
    const searches = ['searchHit', 'searchMiss'] as const;
    const cpuRounds = { before: [], after: [] } as Record<'before' | 'after', Pick<WorkerdFigures, (typeof searches)[number]>[]>;
    for (let round = 0; round < counts.cpuRounds; round++) {
      for (const side of round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
        const base = side === 'before' ? before.base : after.base;
        cpuRounds[side].push(await benchWorkerdCpu(base, token, legacyQuery, counts.workerdRequests, searches));
      }
    }
    const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const cpu = Object.fromEntries(
      (['before', 'after'] as const).map((side) => [
        side,
        Object.fromEntries(
          searches.map((scenario) => {
            const pick = (field: 'ours' | 'floor' | 'own') => medianOf(cpuRounds[side].map((r) => r[scenario][field]));
            return [scenario, { ours: pick('ours'), floor: pick('floor'), own: pick('own') }];
          }),
        ),
      ]),
    ) as Record<'before' | 'after', Pick<WorkerdFigures, (typeof searches)[number]>>;
    const figures = (side: 'before' | 'after'): SearchFigures => ({
      hit: pooled(rounds[side].hit),
      miss: pooled(rounds[side].miss),
      workerdOwnMicros: { searchHit: cpu[side].searchHit, searchMiss: cpu[side].searchMiss },
    });
    return { before: { commit: sha, ...figures('before') }, after: { commit: after.commit, ...figures('after') } };
  } finally {
    await before.dispose();
  }
}
