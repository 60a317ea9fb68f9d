/**
 * The API in one process with in-memory stores: the real Hono app, the real
 * token verifier, configuration, rules, KV adapters and ledger code, with
 * KV as a Map, the ledger run in this isolate (the same `PatientLedger` the
 * Durable Object runs) and audit records handed to an array, as the queue
 * would take them. Used by the in-process benchmarks (Node and workerd) to
 * measure our own work per request with no I/O in the way.
 */
import { Hono } from 'hono';
import { createApp } from '../../apps/api/src/app.ts';
import type { AuditEvent } from '../../apps/api/src/audit/event.ts';
import { createTokenVerifier } from '../../apps/api/src/auth/token-verifier.ts';
import type { Services } from '../../apps/api/src/compose.ts';
import { type ConfigEnv, readConfig } from '../../apps/api/src/config/index.ts';
import { localFlagWriter, memoryFlagLocator } from '../../apps/api/src/register/local-flag-writer.ts';
import { seedSandbox } from '../../apps/api/src/sandbox/seed.ts';
import { activeKey, patientKey } from '../../apps/api/src/storage/keys.ts';
import { kvFlagStore } from '../../apps/api/src/storage/kv-flag-store.ts';
import { kvPatientDirectory } from '../../apps/api/src/storage/kv-patient-directory.ts';
import { memoryKv } from './memory-kv.ts';
import { BASE, SEEDED_FLAG_ID, fgmHeaders, flagBody, searchUrl } from './requests.ts';

/** An in-process API and what it writes. */
export interface InProcessApi {
  readonly fetch: (request: Request) => Promise<Response>;
  readonly flags: KVNamespace;
  readonly patients: KVNamespace;
  readonly audit: AuditEvent[];
}

/**
 * Builds the app over in-memory stores seeded with the sandbox, configured
 * by `vars` (the sandbox's wrangler.toml vars).
 */
export async function inProcessApi(vars: ConfigEnv): Promise<InProcessApi> {
  const config = readConfig(vars);
  const flagsKv = memoryKv();
  const patientsKv = memoryKv();
  const flags = kvFlagStore(flagsKv);
  const audit: AuditEvent[] = [];
  await seedSandbox({ flags, patients: patientsKv });
  const services: Services = {
    flags,
    writer: localFlagWriter(flags, memoryFlagLocator(), async (record) => void audit.push(record)),
    patients: kvPatientDirectory(patientsKv),
    tokens: createTokenVerifier(config.auth),
    policy: config.policy,
    audit: { record: async (event) => void audit.push(event) },
    publicBaseUrl: config.publicBaseUrl,
    corsOrigins: config.corsOrigins,
    newId: () => crypto.randomUUID(),
    health: [],
    legacy: config.legacy,
    docs: { docsPage: false, sandboxSigning: undefined },
  };
  const app = createApp({ services: () => services });
  const env = vars as unknown as Env;
  // As in the Worker, after-response work (the audit hand-off, the log line) goes to waitUntil, which the response does
  // not wait for; it is ours, so each request's is awaited before the request counts as done.
  const fetch = async (request: Request) => {
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (work: Promise<unknown>) => void pending.push(work), passThroughOnException: () => {}, props: {} };
    const response = await app.fetch(request, env, ctx as unknown as ExecutionContext);
    await Promise.all(pending);
    return response;
  };
  return { fetch, flags: flagsKv, patients: patientsKv, audit };
}

/** Stores `count` eligible patients (girls born 2015) under the given NHS numbers, for Adds. */
export async function addPatients(api: InProcessApi, nhsNumbers: readonly string[]): Promise<void> {
  for (const nhs of nhsNumbers) await api.patients.put(patientKey(nhs), '{"gender":"female","birthDate":"2015-01-01"}');
}

/** Indexes `records` for search as the API's store would (the search path reads only the index entry). */
export async function indexFlags(api: InProcessApi, records: readonly { nhsNumber: string; value: string; flagId: string }[]): Promise<void> {
  for (const r of records) await api.flags.put(activeKey(r.nhsNumber), r.value, { metadata: { flagId: r.flagId, agesOutOn: '2033-01-01' } });
}

/** Bodies the floor answers with, one per route: the real API's own responses, captured once. */
interface FloorBodies {
  readonly search: string;
  readonly read: string;
  readonly add: string;
  readonly legacyQuery: string;
}

/**
 * The floor: a bare Hono app answering each route at once with a body of
 * the same size as ours (and reading request bodies, as any Worker must).
 * What a request costs here is the runtime's Request and Response objects
 * and Hono's routing, which every Worker pays; ours less this is our own work.
 */
function floorApi(bodies: FloorBodies): InProcessApi {
  const json = { 'Content-Type': 'application/fhir+json; charset=utf-8' };
  const app = new Hono()
    .get('/Flag', (c) => c.body(bodies.search, 200, json))
    .get('/Flag/:id', (c) => c.body(bodies.read, 200, json))
    .post('/Flag', async (c) => {
      await c.req.arrayBuffer();
      return c.body(bodies.add, 201, json);
    })
    .post('/fhir/fgm/query', async (c) => {
      await c.req.arrayBuffer();
      return c.body(bodies.legacyQuery, 200, { 'Content-Type': 'application/xml+fhir; charset=utf-8' });
    });
  return { fetch: (request) => Promise.resolve(app.fetch(request)), flags: memoryKv(), patients: memoryKv(), audit: [] };
}

/**
 * The floor with our own responses' bodies: one search, read, Add and
 * legacy query sent to `twin` (a fresh API, kept apart from the one being
 * timed), their bodies then served by {@link floorApi}.
 */
export async function floorFromTwin(twin: InProcessApi, token: string, legacyQuery: string): Promise<InProcessApi> {
  const headers = fgmHeaders(token);
  const text = async (url: string, init: RequestInit = {}) =>
    new TextDecoder().decode(await (await twin.fetch(new Request(url, init))).arrayBuffer());
  await addPatients(twin, ['9000000084']);
  return floorApi({
    search: await text(searchUrl('9000000009'), { headers }),
    read: await text(`${BASE}/Flag/${SEEDED_FLAG_ID}`, { headers }),
    add: await text(`${BASE}/Flag`, { method: 'POST', headers, body: flagBody('9000000084') }),
    legacyQuery: await text(`${BASE}/fhir/fgm/query`, { method: 'POST', headers: { 'Content-Type': 'application/xml+fhir' }, body: legacyQuery }),
  });
}
