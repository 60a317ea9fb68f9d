/**
 * The bench-only Worker entry: the real API with counting KV bindings, plus
 * routes that exist only here — the baseline (the unavoidable KV work of
 * each interaction and nothing else), seeding, and the KV counters. It is
 * started by `npm run bench` and never deployed.
 */
import { buildActiveFlag } from '@fgm-is/rules';
import { kvFlagStore } from '../../apps/api/src/adapters/kv-flag-store/index.ts';
import { activeKey, flagKey, patientKey } from '../../apps/api/src/adapters/storage-keys.ts';
import api, { FlagLedger as ApiFlagLedger } from '../../apps/api/src/index.ts';
import { seedSandbox } from '../../apps/api/src/sandbox/seed.ts';
import { syntheticNhsNumber } from '../shared/synthetic.ts';
import { counters, instrument, resetCounters } from './instrument.ts';

/** The API's ledger, over the counting KV bindings. */
export class FlagLedger extends ApiFlagLedger {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, instrument(env));
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
  return new Response('unknown baseline', { status: 404 });
}

async function benchRoute(url: URL, request: Request, env: Env): Promise<Response> {
  const action = url.pathname.split('/')[2];
  if (action === 'counters') {
    const snapshot = structuredClone(counters);
    if (url.searchParams.has('reset')) resetCounters();
    return Response.json(snapshot);
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

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/__baseline/')) return baseline(url, request, instrument(env));
    if (url.pathname.startsWith('/__bench/')) return benchRoute(url, request, env);
    return api.fetch(request, instrument(env), ctx);
  },
} satisfies ExportedHandler<Env>;
