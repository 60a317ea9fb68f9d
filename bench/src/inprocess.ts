/**
 * Our own work per request, in this Node process: the real app over
 * in-memory stores (see inprocess/app.ts), so the time is the app's CPU and
 * nothing else: token verification, configuration, middleware, rules, JSON,
 * the KV adapters' (de)serialisation, the ledger and the audit hand-off.
 * The same requests to the floor (a bare Hono app answering with bodies of
 * the same size) give the runtime's share, which is subtracted.
 */
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type CallFigures, timeCalls } from './timing.ts';

register('../inprocess/cloudflare-workers-hooks.mjs', import.meta.url);

const SCENARIOS = ['searchHit', 'searchMiss', 'read', 'add', 'legacyQuery'] as const;
type Scenario = (typeof SCENARIOS)[number];

/** Figures per scenario (microseconds of wall time, which is CPU time here: nothing waits on I/O). */
export interface InProcessFigures {
  readonly ours: Record<(typeof SCENARIOS)[number] | 'searchAt10' | 'searchAtLarge', CallFigures>;
  /** The floor's figures for the same requests. */
  readonly floor: Record<(typeof SCENARIOS)[number], CallFigures>;
  /** Ours less the floor, median µs: our own work. */
  readonly ownWorkMicros: Record<(typeof SCENARIOS)[number], number>;
  readonly largeFlags: number;
}

/**
 * Runs each scenario `calls` times after a warm-up. The request log line is
 * still built (our cost) but not written to this process's stdout (the
 * runtime's cost, not ours: Workers ships logs outside the request).
 */
export async function benchInProcess(calls: number, largeFlags: number): Promise<InProcessFigures> {
  const info = console.info;
  console.info = () => {};
  try {
    return await run(calls, largeFlags);
  } finally {
    console.info = info;
  }
}

async function run(calls: number, largeFlags: number): Promise<InProcessFigures> {
  const { floorFromTwin, inProcessApi } = await import('../inprocess/app.ts');
  const { scenarios } = await import('../inprocess/scenarios.ts');
  const { sandboxVars, signSandboxToken } = await import('../../apps/api/scripts/sandbox-token.ts');
  const token = await signSandboxToken({ sub: '555555555555', activities: ['B0380'], role: 'R8000', org: 'A12345' });
  const legacyQuery = readFileSync(fileURLToPath(new URL('../../apps/api/examples/legacy/query.xml', import.meta.url)), 'utf8');
  // Long enough for V8 to optimise the whole request path before timing starts.
  const warmup = Math.min(1000, calls);

  const api = await inProcessApi(sandboxVars());
  const s = await scenarios(api, token, legacyQuery, { adds: calls + warmup, scaleFlags: 10 });
  // One scenario after another, never two at once: each gets the machine to itself.
  const timeEach = async (set: Record<Scenario, (i: number) => Promise<unknown>>) => {
    const figures = {} as Record<Scenario, CallFigures>;
    for (const name of SCENARIOS) figures[name] = await timeCalls(set[name], calls, warmup);
    return figures;
  };
  const ours = {
    ...(await timeEach(s)),
    searchAt10: await timeCalls(s.searchScaled, calls, warmup),
    searchAtLarge: await timeCalls(
      (await scenarios(await inProcessApi(sandboxVars()), token, legacyQuery, { adds: 0, scaleFlags: largeFlags })).searchScaled,
      calls,
      warmup,
    ),
  };

  // The floor answers with our own responses' bodies, captured from a fresh API.
  const floor = await floorFromTwin(await inProcessApi(sandboxVars()), token, legacyQuery);
  const f = await scenarios(floor, token, legacyQuery, { adds: calls + warmup, scaleFlags: 1 });
  const floorFigures = await timeEach(f);
  const ownWorkMicros = Object.fromEntries(SCENARIOS.map((name) => [name, ours[name].medianMicros - floorFigures[name].medianMicros])) as Record<
    (typeof SCENARIOS)[number],
    number
  >;
  return { ours, floor: floorFigures, ownWorkMicros, largeFlags };
}
