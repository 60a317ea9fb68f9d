/**
 * A small closed-loop load generator for 127.0.0.1: `concurrency` clients
 * each send the next request as soon as the last one is answered.
 */

export interface LoadFigures {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  unexpected: number;
}

export interface LoadSpec {
  /** The request to send as number `i`. */
  request: (i: number) => { url: string; init?: RequestInit };
  expectStatus: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Runs `count` requests (numbered from `offset`) and collects latencies. */
async function run(
  spec: LoadSpec,
  count: number,
  concurrency: number,
  offset: number,
  latencies: number[],
): Promise<{ elapsed: number; unexpected: number }> {
  let next = 0;
  let unexpected = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const { url, init } = spec.request(offset + i);
        const t0 = performance.now();
        const response = await fetch(url, init);
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.status !== spec.expectStatus) unexpected++;
      }
    }),
  );
  return { elapsed: performance.now() - started, unexpected };
}

/** Measures one request kind. */
export async function measure(spec: LoadSpec, count: number, concurrency: number, offset = 0): Promise<LoadFigures> {
  const latencies: number[] = [];
  const { elapsed, unexpected } = await run(spec, count, concurrency, offset, latencies);
  latencies.sort((a, b) => a - b);
  return {
    requests: count,
    requestsPerSecond: (count / elapsed) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    unexpected,
  };
}

/**
 * Measures two request kinds in alternating blocks, so drift in the machine
 * (other load, JIT, GC) falls on both alike.
 */
export async function compare(
  ours: LoadSpec,
  baseline: LoadSpec,
  count: number,
  concurrency: number,
  blocks = 4,
): Promise<{ ours: LoadFigures; baseline: LoadFigures }> {
  const per = Math.ceil(count / blocks);
  const acc = { ours: { lat: [] as number[], elapsed: 0, unexpected: 0 }, baseline: { lat: [] as number[], elapsed: 0, unexpected: 0 } };
  for (let b = 0; b < blocks; b++) {
    for (const [name, spec] of [
      ['ours', ours],
      ['baseline', baseline],
    ] as const) {
      const result = await run(spec, per, concurrency, b * per, acc[name].lat);
      acc[name].elapsed += result.elapsed;
      acc[name].unexpected += result.unexpected;
    }
  }
  const figures = (a: (typeof acc)['ours']): LoadFigures => {
    a.lat.sort((x, y) => x - y);
    return {
      requests: a.lat.length,
      requestsPerSecond: (a.lat.length / a.elapsed) * 1000,
      p50Ms: percentile(a.lat, 50),
      p99Ms: percentile(a.lat, 99),
      unexpected: a.unexpected,
    };
  };
  return { ours: figures(acc.ours), baseline: figures(acc.baseline) };
}
