/**
 * The bench-only Worker entry: the real API with counting KV bindings, plus
 * routes that exist only here — the baseline (the unavoidable KV work of
 * each interaction and nothing else), seeding, and the KV counters. It is
 * started by `npm run bench` and never deployed.
 */
import { buildActiveFlag } from '@fgm-is/rules';
import api, { FlagLedger as ApiFlagLedger } from '../../apps/api/src/index.ts';
import { activeKey, flagKey, patientKey } from '../../apps/api/src/storage/keys.ts';
import { kvFlagStore } from '../../apps/api/src/storage/kv-flag-store.ts';

export { FlagLocatorObject, WritePathMonitor } from '../../apps/api/src/index.ts';
import { seedSandbox } from '../../apps/api/src/sandbox/seed.ts';
import { type InProcessApi, floorFromTwin, inProcessApi } from '../inprocess/app.ts';
import { type Scenarios, scenarios } from '../inprocess/scenarios.ts';
import { syntheticNhsNumber } from '../shared/synthetic.ts';
import { counters, instrument, resetCounters } from './instrument.ts';

/** The API's ledger, over the counting KV bindings; plus the Add floor's Durable Object side. */
export class FlagLedger extends ApiFlagLedger {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, instrument(env));
  }

  /**
   * The floor of a correct Add here (issue 16): one storage write (what a
   * ledger must commit), then the flag's two KV writes at once. Called on
   * objects named `floor:{nhs}`, which the API never uses.
   */
  async floorAdd(nhsNumber: string, id: string, body: string): Promise<void> {
    await this.ctx.storage.put({ state: { id, nhsNumber }, [`outbox:${id}`]: { id } });
    await Promise.all([
      this.env.FLAGS.put(flagKey(id), body),
      this.env.FLAGS.put(activeKey(nhsNumber), body, { metadata: { flagId: id, agesOutOn: '2099-01-01' } }),
    ]);
  }
}

const JSON_HEADERS = { 'Content-Type': 'application/fhir+json; charset=utf-8' };

async function baseline(url: URL, request: Request, env: Env): Promise<Response> {
  const [, , kind, arg] = url.pathname.split('/');
  if (kind === 'search') {
    const stored = await env.FLAGS.get(activeKey(url.searchParams.get('nhs') ?? ''));
    return new Response(stored ?? '{"resourceType":"Bundle","type":"searchset","total":0}', { headers: JSON_HEADERS });
  }
  if (kind === 'read') {
    const stored = await env.FLAGS.get(flagKey(arg ?? ''));
    return new Response(stored ?? '{}', { status: stored ? 200 : 404, headers: JSON_HEADERS });
  }
  if (kind === 'add') {
    const body = await request.text();
    const nhs = url.searchParams.get('nhs') ?? '';
    const id = crypto.randomUUID();
    await env.PATIENTS.get(patientKey(nhs));
    await env.FLAGS.get(activeKey(nhs));
    await env.FLAGS.put(flagKey(id), body);
    await env.FLAGS.put(activeKey(nhs), body, { metadata: { flagId: id, agesOutOn: '2099-01-01' } });
    return new Response(body, { status: 201, headers: JSON_HEADERS });
  }
  if (kind === 'add-floor') {
    // The minimum a correct Add must do here: the patient lookup (D-8), then one Durable Object round trip that
    // makes one storage write and the two KV writes. No token, no rules, no locator, no audit record.
    const body = await request.text();
    const nhs = url.searchParams.get('nhs') ?? '';
    const id = crypto.randomUUID();
    await env.PATIENTS.get(patientKey(nhs));
    await (env.FLAG_LEDGER.getByName(`floor:${nhs}`) as unknown as DurableObjectStub<FlagLedger>).floorAdd(nhs, id, body);
    return new Response(body, { status: 201, headers: JSON_HEADERS });
  }
  return new Response('unknown baseline', { status: 404 });
}

/** The in-process API inside workerd (this isolate's memory), prepared once per scale by `/__bench/inprocess/prepare`. */
const inProcess = new Map<number, { api: InProcessApi; run: Scenarios; floor: Scenarios }>();

/**
 * Our own work per request inside workerd: `prepare` builds the in-process
 * API (memory stores, the real app); `run` sends it `n` requests of one
 * scenario in a loop within this one HTTP request. The client times `run`
 * for n and for 0 and divides the difference by n: workerd's clocks do not
 * advance during computation, so the time is taken from outside.
 */
async function inProcessRoute(url: URL, request: Request, env: Env): Promise<Response> {
  const step = url.pathname.split('/')[3];
  const scaleFlags = Number(url.searchParams.get('scaleFlags') ?? '10');
  if (step === 'prepare') {
    const { token, legacyQuery, adds } = (await request.json()) as { token: string; legacyQuery: string; adds: number };
    const api = await inProcessApi(env as unknown as Parameters<typeof inProcessApi>[0]);
    const run = await scenarios(api, token, legacyQuery, { adds, scaleFlags });
    // The floor answers with our own responses' bodies (one of each, from a twin of the API), as in the Node run.
    const floor = await floorFromTwin(await inProcessApi(env as unknown as Parameters<typeof inProcessApi>[0]), token, legacyQuery);
    inProcess.set(scaleFlags, { api, run, floor: await scenarios(floor, token, legacyQuery, { adds, scaleFlags: 1 }) });
    return Response.json({ ok: true });
  }
  const prepared = inProcess.get(scaleFlags);
  const scenario = url.searchParams.get('scenario') as keyof Scenarios;
  if (!prepared || !(scenario in prepared.run)) return new Response('prepare first, with a known scenario', { status: 409 });
  const target = url.searchParams.get('floor') === '1' ? prepared.floor : prepared.run;
  const n = Number(url.searchParams.get('n'));
  const offset = Number(url.searchParams.get('offset') ?? '0');
  const info = console.info;
  console.info = () => {};
  try {
    for (let i = offset; i < offset + n; i++) await target[scenario](i);
  } finally {
    console.info = info;
  }
  return Response.json({ ok: true, n });
}

async function benchRoute(url: URL, request: Request, env: Env): Promise<Response> {
  const action = url.pathname.split('/')[2];
  if (action === 'inprocess') return inProcessRoute(url, request, env);
  if (action === 'counters') {
    const snapshot = structuredClone(counters);
    if (url.searchParams.has('reset')) resetCounters();
    return Response.json(snapshot);
  }
  if (action === 'audit-rows') {
    // How many audit records the queue's consumer has stored (run.ts checks that the timed requests' records arrive).
    const row = await env.AUDIT_DB.prepare('SELECT count(*) AS n FROM audit_events').first<{ n: number }>();
    return Response.json({ rows: row?.n ?? 0 });
  }
  if (action === 'sql') {
    for (const statement of (await request.json()) as string[]) await env.AUDIT_DB.prepare(statement).run();
    return Response.json({ ok: true });
  }
  if (action === 'sandbox') {
    await seedSandbox({ flags: kvFlagStore(env.FLAGS), patients: env.PATIENTS });
    return Response.json({ ok: true });
  }
  if (action === 'patients' || action === 'flags' || action === 'index') {
    const from = Number(url.searchParams.get('from'));
    const count = Number(url.searchParams.get('count'));
    const store = kvFlagStore(env.FLAGS);
    const writes: Promise<unknown>[] = [];
    for (let i = from; i < from + count; i++) {
      const nhsNumber = syntheticNhsNumber(i);
      if (action === 'patients') writes.push(env.PATIENTS.put(patientKey(nhsNumber), '{"gender":"female","birthDate":"2015-01-01"}'));
      else if (action === 'index') {
        const flag = buildActiveFlag({ id: `bench-${i}`, nhsNumber, assessmentDate: '2024-01-01', lastUpdated: '2026-01-01T00:00:00.000Z' });
        writes.push(
          env.FLAGS.put(activeKey(nhsNumber), JSON.stringify({ nhsNumber, agesOutOn: '2033-01-01', flag }), {
            metadata: { flagId: flag.id, agesOutOn: '2033-01-01' },
          }),
        );
      } else {
        const flag = buildActiveFlag({ id: `bench-${i}`, nhsNumber, assessmentDate: '2024-01-01', lastUpdated: '2026-01-01T00:00:00.000Z' });
        writes.push(store.create({ nhsNumber, agesOutOn: '2033-01-01', flag }));
      }
    }
    await Promise.all(writes);
    return Response.json({ ok: true, count });
  }
  return new Response('unknown bench route', { status: 404 });
}

/** A queue that takes every record and sends nothing: the `/__quiet/` routes' audit queue. */
const discardingQueue = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;
const quietEnvs = new WeakMap<Env, Env>();

/**
 * The API as it is, less its two after-response costs: the audit record goes
 * to a queue that drops it and the request log line is not written. Only for
 * measuring what those two cost here (`/__quiet/Flag…`); one client at a time,
 * since `console.info` is swapped for the request's duration.
 */
async function quiet(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  let quietEnv = quietEnvs.get(env);
  if (!quietEnv) {
    quietEnv = { ...instrument(env), AUDIT_QUEUE: discardingQueue };
    quietEnvs.set(env, quietEnv);
  }
  const url = new URL(request.url);
  url.pathname = url.pathname.slice('/__quiet'.length);
  // The request log is written after the response (waitUntil): console.info stays silent until that work has settled.
  const info = console.info;
  console.info = () => {};
  const pending: Promise<unknown>[] = [];
  const quietCtx = {
    waitUntil: (work: Promise<unknown>) => void pending.push(work),
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;
  const restore = () => {
    console.info = info;
  };
  try {
    const response = await api.fetch(new Request(url, request), quietEnv, quietCtx);
    ctx.waitUntil(Promise.allSettled(pending).then(restore, restore));
    return response;
  } catch (error) {
    restore();
    throw error;
  }
}

/**
 * The API's fetch with counting KV bindings and the bench routes beside it;
 * its queue consumer and Cron Triggers as deployed. Without the consumer,
 * every audit record the bench's requests send failed delivery and was
 * retried (with a log line each, read by wrangler), work a real deployment
 * never does, timed as ours.
 */
export default {
  queue: api.queue,
  scheduled: api.scheduled,
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/__quiet/')) return quiet(request, env, ctx);
    if (url.pathname.startsWith('/__baseline/')) return baseline(url, request, instrument(env));
    if (url.pathname.startsWith('/__bench/')) return benchRoute(url, request, env);
    return api.fetch(request, instrument(env), ctx);
  },
} satisfies ExportedHandler<Env>;
