/**
 * Our own work per request inside workerd (the runtime Workers bill CPU
 * in): the bench Worker runs the in-process API `n` times within one HTTP
 * request (see worker/index.ts `inProcessRoute`); the time of that request
 * less the time of an empty one, divided by `n`, is the work per request.
 */

const SCENARIOS = ['searchHit', 'searchMiss', 'read', 'add', 'legacyQuery'] as const;

/** One in-process scenario's name. */
export type Scenario = (typeof SCENARIOS)[number];

/** Microseconds per request inside workerd, per scenario: ours, the floor (bare Hono, same bodies), and ours less the floor. */
export type WorkerdFigures = Record<(typeof SCENARIOS)[number], { readonly ours: number; readonly floor: number; readonly own: number }>;

/** Median of the run times (ms) of `n` requests of `scenario`, less the median of an empty run, per request (µs). */
async function perRequest(base: string, scenario: string, n: number, offset: { next: number }, floor: boolean, rounds = 5): Promise<number> {
  const time = async (count: number) => {
    const from = offset.next;
    offset.next += count;
    const t0 = performance.now();
    const response = await fetch(`${base}/__bench/inprocess/run?scenario=${scenario}&n=${count}&offset=${from}${floor ? '&floor=1' : ''}`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`workerd in-process ${scenario}: ${response.status}`);
    return performance.now() - t0;
  };
  await time(Math.min(200, n));
  const full: number[] = [];
  const empty: number[] = [];
  for (let r = 0; r < rounds; r++) {
    empty.push(await time(0));
    full.push(await time(n));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return ((median(full) - median(empty)) / n) * 1000;
}

/**
 * Our own work per request inside the Worker at `base`, for each of
 * `scenarios` (all five unless given): ours, the floor, and ours less the floor.
 */
export async function benchWorkerdCpu<S extends Scenario = Scenario>(
  base: string,
  token: string,
  legacyQuery: string,
  n: number,
  scenarios: readonly S[] = SCENARIOS as readonly Scenario[] as readonly S[],
): Promise<Pick<WorkerdFigures, S>> {
  const adds = Math.min(200, n) + 5 * n + 10;
  const prepare = await fetch(`${base}/__bench/inprocess/prepare?scaleFlags=10`, {
    method: 'POST',
    body: JSON.stringify({ token, legacyQuery, adds }),
  });
  await prepare.arrayBuffer();
  if (!prepare.ok) throw new Error(`workerd in-process prepare: ${prepare.status}`);
  const figures: Partial<Record<Scenario, { ours: number; floor: number; own: number }>> = {};
  for (const scenario of scenarios) {
    // Each scenario numbers its requests from 0: only Add needs fresh patients, and each side runs it once.
    const ours = await perRequest(base, scenario, n, { next: 0 }, false);
    const floor = await perRequest(base, scenario, n, { next: 0 }, true);
    figures[scenario] = { ours, floor, own: ours - floor };
  }
  return figures as Pick<WorkerdFigures, S>;
}
