/**
 * Per-call timing for in-process work: warm up, then time each call.
 */

/** Times of one measured operation, in microseconds. */
export interface CallFigures {
  readonly calls: number;
  readonly medianMicros: number;
  readonly meanMicros: number;
  readonly p99Micros: number;
}

/** @internal */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * Calls `run(i)` `warmup` times, then `calls` times timing each; `i` counts
 * on across both, so calls that need fresh data (an Add per patient) get it.
 */
export async function timeCalls(run: (i: number) => Promise<unknown>, calls: number, warmup = Math.min(200, calls)): Promise<CallFigures> {
  for (let i = 0; i < warmup; i++) await run(i);
  const times: number[] = [];
  for (let i = warmup; i < warmup + calls; i++) {
    const t0 = performance.now();
    await run(i);
    times.push((performance.now() - t0) * 1000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    calls,
    medianMicros: percentile(sorted, 50),
    meanMicros: times.reduce((a, b) => a + b, 0) / times.length,
    p99Micros: percentile(sorted, 99),
  };
}
