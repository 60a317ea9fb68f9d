/**
 * Health endpoints (D-22), after the NHS API Platform's convention: `/_ping`
 * says the service runs; `/_status` says whether its dependencies answer.
 * Neither needs headers, neither is audited, neither shows patient data or
 * an internal message.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { methodNotAllowed } from '../pipeline/method-not-allowed.ts';
import type { HealthObservation, HealthProbe } from '../ports/health.ts';
import { RELEASE } from '../release.ts';

/** The media type of health responses (draft-inadarei-api-health-check). */
const HEALTH_JSON = 'application/health+json';

/** How long `/_status` waits for each dependency. */
export const PROBE_TIMEOUT_MS = 1500;

/** @internal One probe's result, timed (or as it observed), with a fixed word rather than the dependency's own message. */
async function runProbe(probe: HealthProbe, now: () => number) {
  const started = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), PROBE_TIMEOUT_MS);
  });
  const answer: Promise<HealthObservation | 'pass'> = 'observe' in probe ? probe.observe() : probe.probe().then(() => 'pass' as const);
  const outcome = await Promise.race([answer.catch(() => 'unavailable' as const), timeout]);
  if (timer !== undefined) clearTimeout(timer);
  if (typeof outcome === 'object') return outcome;
  const observedValue = Math.round(now() - started);
  const result = { status: outcome === 'pass' ? 'pass' : 'fail', observedValue, observedUnit: 'ms' };
  return outcome === 'pass' ? result : { ...result, output: outcome };
}

/** `GET /_ping` and `GET /_status`. */
export const healthRoutes = new Hono<AppEnv>()
  .get('/_ping', (c) => c.body(JSON.stringify({ status: 'pass', version: RELEASE.version }), 200, { 'Content-Type': HEALTH_JSON }))
  .all('/_ping', methodNotAllowed(['GET']))
  .get('/_status', async (c) => {
    const probes = c.get('services').health;
    const results = await Promise.all(probes.map((probe) => runProbe(probe, () => performance.now())));
    // A check that warns (the write path catching up) leaves the service passing; one that fails does not (D-22).
    const pass = results.every((result) => result.status !== 'fail');
    const checks = Object.fromEntries(probes.map((probe, i) => [probe.name, [results[i]]]));
    const body = { status: pass ? 'pass' : 'fail', version: RELEASE.version, checks };
    return c.body(JSON.stringify(body), pass ? 200 : 503, { 'Content-Type': HEALTH_JSON });
  })
  .all('/_status', methodNotAllowed(['GET']));
