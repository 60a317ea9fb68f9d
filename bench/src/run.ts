/**
 * `npm run bench`: rules throughput, request overhead against a baseline,
 * scale, KV cost and bundle size, side by side in one run. Traffic goes
 * only to a Worker this script starts on 127.0.0.1 and stops again.
 * Prints a table and writes the same figures to bench/results.json.
 *
 *   npm run bench             the full run (about 2 minutes on 2 cores)
 *   npm run bench -- --smoke  a tiny run that proves it works
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unstable_splitSqlQuery, unstable_startWorker } from 'wrangler';
import { signSandboxToken } from '../../apps/api/scripts/sandbox-token.ts';
import { syntheticNhsNumber } from '../shared/synthetic.ts';
import { type LoadFigures, type LoadSpec, compare, measure } from './load.ts';
import { benchRules } from './rules.ts';
import { bundleSize } from './size.ts';

const smoke = process.argv.includes('--smoke');
const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const N = smoke
  ? { ruleMs: 100, requests: 100, addRequests: 40, scaleSmall: 10, scaleLarge: 1_000, scaleProbes: 100 }
  : { ruleMs: 1_000, requests: 1_000, addRequests: 400, scaleSmall: 10, scaleLarge: 100_000, scaleProbes: 600 };

/** Cloudflare Workers KV, Workers Paid plan, beyond the monthly inclusions (developers.cloudflare.com/kv/platform/pricing, read 2026-11-21). */
const KV_PRICES = {
  date: '2026-11-21',
  source: 'https://developers.cloudflare.com/kv/platform/pricing/',
  readPerMillionUsd: 0.5,
  writePerMillionUsd: 5.0,
};

/** Synthetic patients from here on are the baseline's; ours use 0 upwards (the ranges never meet). */
const BASELINE_RANGE = 500_000;

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The bench stops by itself: past this it gives up (its Worker dies with the process). */
const WATCHDOG_MS = 240_000;
setTimeout(() => {
  log(`bench: still running after ${WATCHDOG_MS / 1000} s; stopping`);
  process.exit(2);
}, WATCHDOG_MS).unref();

async function main() {
  const started = performance.now();
  log(smoke ? 'bench: smoke run' : 'bench: full run');

  log('1/6 rules throughput …');
  const rules = await benchRules(N.ruleMs);

  log('2/6 bundle size …');
  const size = bundleSize(root('wrangler.toml'));

  log('3/6 starting the bench Worker on 127.0.0.1 …');
  const worker = await unstable_startWorker({
    config: root('wrangler.toml'),
    entrypoint: root('bench/worker/index.ts'),
    sendMetrics: false,
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: false, watch: false, liveReload: false, logLevel: 'error' },
  });
  try {
    const base = (await worker.url).toString().replace(/\/$/, '');
    const post = (path: string, body?: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', body: body === undefined ? null : JSON.stringify(body) }).then(check);

    for (const file of readdirSync(root('apps/api/migrations')).sort()) {
      await post('/__bench/sql', unstable_splitSqlQuery(readFileSync(root(`apps/api/migrations/${file}`), 'utf8')));
    }
    await post('/__bench/sandbox');
    for (let from = 0; from < N.addRequests * 2 + 100; from += 500) await post(`/__bench/patients?from=${from}&count=500`);

    const token = await signSandboxToken({ sub: '555555555555', activities: ['B0380'], role: 'R8000', org: 'A12345' });
    const headers = {
      Authorization: `Bearer ${token}`,
      TraceID: 'bench',
      FromASID: '200000000001',
      ToASID: '200000000000',
      'Content-Type': 'application/fhir+json',
    };
    const searchUrl = (nhs: string) => `${base}/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${nhs}`;
    const flagBody = (nhs: string) =>
      JSON.stringify({
        resourceType: 'Flag',
        status: 'active',
        code: { coding: [{ system: 'http://snomed.info/sct', code: '902961000000107' }] },
        subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs } },
        period: { start: '2024-05-01' },
      });
    const SEEDED = 'a6a6a92a-8247-4250-b1c7-10cda16f0310';

    const spec = {
      searchHit: { request: () => ({ url: searchUrl('9000000009'), init: { headers } }), expectStatus: 200 },
      searchMiss: { request: () => ({ url: searchUrl('9000000017'), init: { headers } }), expectStatus: 200 },
      read: { request: () => ({ url: `${base}/Flag/${SEEDED}`, init: { headers } }), expectStatus: 200 },
      add: {
        request: (i: number) => ({ url: `${base}/Flag`, init: { method: 'POST', headers, body: flagBody(syntheticNhsNumber(i)) } }),
        expectStatus: 201,
      },
      baselineSearchHit: { request: () => ({ url: `${base}/__baseline/search?nhs=9000000009` }), expectStatus: 200 },
      baselineSearchMiss: { request: () => ({ url: `${base}/__baseline/search?nhs=9000000017` }), expectStatus: 200 },
      baselineRead: { request: () => ({ url: `${base}/__baseline/read/${SEEDED}` }), expectStatus: 200 },
      baselineAdd: {
        request: (i: number) => ({
          url: `${base}/__baseline/add?nhs=${syntheticNhsNumber(BASELINE_RANGE + i)}`,
          init: { method: 'POST', body: flagBody(syntheticNhsNumber(BASELINE_RANGE + i)) },
        }),
        expectStatus: 201,
      },
    } satisfies Record<string, LoadSpec>;

    log('4/6 KV operations per interaction …');
    const counted = async (send: () => Promise<Response>, expectStatus: number) => {
      await fetch(`${base}/__bench/counters?reset`);
      const response = await send();
      await response.arrayBuffer();
      if (response.status !== expectStatus) throw new Error(`cost probe: expected ${expectStatus}, got ${response.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const c = (await (await fetch(`${base}/__bench/counters?reset`)).json()) as Record<'FLAGS' | 'PATIENTS', { reads: number; writes: number }>;
      const reads = c.FLAGS.reads + c.PATIENTS.reads;
      const writes = c.FLAGS.writes + c.PATIENTS.writes;
      return { reads, writes, usdPerMillion: reads * KV_PRICES.readPerMillionUsd + writes * KV_PRICES.writePerMillionUsd };
    };
    const probeNhs = syntheticNhsNumber(N.addRequests * 2 + 50);
    if (N.addRequests * 2 + 50 >= BASELINE_RANGE) throw new Error('bench ranges overlap');
    const cost = {
      searchHit: await counted(() => fetch(searchUrl('9000000009'), { headers }), 200),
      searchMiss: await counted(() => fetch(searchUrl('9000000017'), { headers }), 200),
      read: await counted(() => fetch(`${base}/Flag/${SEEDED}`, { headers }), 200),
      addFirstForPatient: await counted(() => fetch(`${base}/Flag`, { method: 'POST', headers, body: flagBody(probeNhs) }), 201),
      addDuplicate: await counted(() => fetch(`${base}/Flag`, { method: 'POST', headers, body: flagBody(probeNhs) }), 400),
      remove: await (async () => {
        const created = await fetch(searchUrl(probeNhs), { headers }).then((r) => r.json() as Promise<{ entry: { resource: { id: string } }[] }>);
        const id = created.entry[0]?.resource.id ?? '';
        const body = JSON.stringify({
          ...JSON.parse(flagBody(probeNhs)),
          id,
          status: 'entered-in-error',
          extension: [
            {
              url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
              valueCoding: { system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason', code: '0' },
            },
          ],
        });
        return counted(() => fetch(`${base}/Flag/${id}`, { method: 'PUT', headers, body }), 200);
      })(),
      refusedBadToken: await counted(() => fetch(searchUrl('9000000009'), { headers: { ...headers, Authorization: 'Bearer a.b.c' } }), 401),
    };

    log(`5/6 request overhead against the baseline (${N.requests} requests each) …`);
    await measure(spec.searchHit, Math.min(300, N.requests), 2);
    await measure(spec.baselineSearchHit, Math.min(300, N.requests), 2);
    // Latency overhead with one client (no queueing); throughput with two clients (both cores busy).
    const overhead = {
      searchHit: await compare(spec.searchHit, spec.baselineSearchHit, N.requests, 1, 6),
      searchMiss: await compare(spec.searchMiss, spec.baselineSearchMiss, N.requests, 1, 6),
      read: await compare(spec.read, spec.baselineRead, N.requests, 1, 6),
      add: await compare(spec.add, spec.baselineAdd, N.addRequests, 1, 6),
      searchHitTwoClients: await compare(spec.searchHit, spec.baselineSearchHit, N.requests, 2, 6),
    };

    // Search reads only the index entry `active:{nhs}` (which holds the whole flag record), so that is what is
    // stored here; the by-id copies search never reads would double the seeding time past the 3-minute budget.
    log(`6/6 scale: search with ${N.scaleSmall} and ${N.scaleLarge.toLocaleString('en-GB')} indexed flags …`);
    const scaleBase = 1_000_000;
    const probe = (count: number): LoadSpec => ({
      request: (i) => ({ url: searchUrl(syntheticNhsNumber(scaleBase + ((i * 7919) % count))), init: { headers } }),
      expectStatus: 200,
    });
    await post(`/__bench/index?from=${scaleBase}&count=${N.scaleSmall}`);
    await measure(probe(N.scaleSmall), Math.min(200, N.scaleProbes), 1);
    const small = await measure(probe(N.scaleSmall), N.scaleProbes, 1);
    for (let from = scaleBase + N.scaleSmall; from < scaleBase + N.scaleLarge; from += 2000) {
      const end = scaleBase + N.scaleLarge;
      await Promise.all([from, from + 1000].filter((f) => f < end).map((f) => post(`/__bench/index?from=${f}&count=${Math.min(1000, end - f)}`)));
    }
    await measure(probe(N.scaleLarge), Math.min(200, N.scaleProbes), 1);
    const large = await measure(probe(N.scaleLarge), N.scaleProbes, 1);

    const results = {
      date: new Date().toISOString(),
      mode: smoke ? 'smoke' : 'full',
      machine: { node: process.version, platform: `${process.platform}-${process.arch}` },
      rules,
      overhead,
      scale: { smallFlags: N.scaleSmall, largeFlags: N.scaleLarge, small, large, ratio: large.p50Ms / small.p50Ms },
      cost: { prices: KV_PRICES, perInteraction: cost },
      size,
      seconds: (performance.now() - started) / 1000,
    };
    writeFileSync(root('bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    printTable(results);
  } finally {
    await worker.dispose();
  }
}

async function check(response: Response): Promise<Response> {
  if (!response.ok) throw new Error(`bench setup failed: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
  return response;
}

type Results = {
  rules: Awaited<ReturnType<typeof benchRules>>;
  overhead: Record<string, { ours: LoadFigures; baseline: LoadFigures }>;
  scale: { smallFlags: number; largeFlags: number; small: LoadFigures; large: LoadFigures; ratio: number };
  cost: { prices: typeof KV_PRICES; perInteraction: Record<string, { reads: number; writes: number; usdPerMillion: number }> };
  size: { rawKiB: number; gzipKiB: number };
  seconds: number;
  mode: string;
};

function printTable(r: Results) {
  const f = (n: number, digits = 1) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  const rows: string[][] = [['Measure', 'Figure', 'Goal', '']];
  const { rules } = r;
  rows.push([
    'Add decision, valid Flag (fgm-rules)',
    `${f(rules.addValid.opsPerSecond, 0)} ops/s, median ${f(rules.addValid.medianMicros, 2)} µs`,
    '',
    '',
  ]);
  rows.push([
    'Add decision, invalid Flag (fgm-rules)',
    `${f(rules.addInvalid.opsPerSecond, 0)} ops/s, median ${f(rules.addInvalid.medianMicros, 2)} µs`,
    '',
    '',
  ]);
  rows.push([
    '@medplum/core validateResource, same Flag',
    `${f(rules.medplumValid.opsPerSecond, 0)} ops/s, median ${f(rules.medplumValid.medianMicros, 2)} µs`,
    '',
    '',
  ]);
  rows.push(['Add decision speed-up over generic validation', `${f(rules.speedup)}×`, '≥ 20×', verdict(rules.speedup >= 20)]);
  rows.push(['NHS number checks', `${f(rules.nhsNumber.opsPerSecond, 0)} ops/s`, '', '']);
  for (const [name, pair] of Object.entries(r.overhead)) {
    const ratio = pair.ours.p50Ms / pair.baseline.p50Ms;
    const goal = name === 'searchHit' || name === 'searchMiss' ? '≤ 1.25× (p50, 1 client)' : '';
    rows.push([
      `${name === 'searchHitTwoClients' ? 'searchHit, 2 clients' : `${name}, 1 client`}: ours / baseline`,
      `${f(pair.ours.requestsPerSecond, 0)} / ${f(pair.baseline.requestsPerSecond, 0)} req/s; p50 ${f(pair.ours.p50Ms, 2)} / ${f(pair.baseline.p50Ms, 2)} ms; p99 ${f(pair.ours.p99Ms, 2)} / ${f(pair.baseline.p99Ms, 2)} ms; p50 ratio ${f(ratio, 2)}×${pair.ours.unexpected + pair.baseline.unexpected ? `; ${pair.ours.unexpected + pair.baseline.unexpected} unexpected statuses` : ''}`,
      goal,
      goal ? verdict(ratio <= 1.25) : '',
    ]);
  }
  rows.push([
    `Search p50 with ${r.scale.smallFlags.toLocaleString('en-GB')} vs ${r.scale.largeFlags.toLocaleString('en-GB')} indexed flags`,
    `${f(r.scale.small.p50Ms, 2)} ms vs ${f(r.scale.large.p50Ms, 2)} ms (${f(r.scale.ratio, 2)}×)`,
    '≤ 1.2×',
    verdict(r.scale.ratio <= 1.2),
  ]);
  for (const [name, c] of Object.entries(r.cost.perInteraction)) {
    const goal = name === 'searchHit' || name === 'searchMiss' ? '1 KV read' : '';
    rows.push([
      `KV ops: ${name}`,
      `${c.reads} reads, ${c.writes} writes → $${f(c.usdPerMillion, 2)} per million`,
      goal,
      goal ? verdict(c.reads === 1 && c.writes === 0) : '',
    ]);
  }
  rows.push([
    'Bundle (wrangler deploy --dry-run, production)',
    `${f(r.size.rawKiB)} KiB raw, ${f(r.size.gzipKiB)} KiB gzip`,
    '< 60 KiB gzip',
    verdict(r.size.gzipKiB < 60),
  ]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const out = [line(rows[0] ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)];
  process.stdout.write(
    `\n${out.join('\n')}\n\nKV prices: $${r.cost.prices.readPerMillionUsd} per million reads, $${r.cost.prices.writePerMillionUsd} per million writes/deletes (Workers Paid, beyond inclusions; ${r.cost.prices.source}, read ${r.cost.prices.date}). Every FGM request also writes one D1 audit row and Add/Remove make one Durable Object request; neither is counted above.\nThe baseline does only the KV work; ours also verifies the token, applies the rules and writes the D1 audit row after responding. Locally D1 is a SQLite simulator on the same 2 cores, so with 2 clients that write competes with the next request; in production D1 is a remote service.\n${r.mode} run in ${f(r.seconds)} s; figures also in bench/results.json\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
