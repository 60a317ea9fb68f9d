/**
 * The crash test (H-05, H-06, H-07), black box, against the real local server
 * (`wrangler dev`), over real HTTP on 127.0.0.1 only: bursts of Adds and
 * Removes on both channels (R4 JSON and legacy Spine messaging) for several
 * sandbox girls at once; mid-burst, SIGKILL of the server's whole process
 * group (npx, wrangler, workerd), then `wrangler dev` again on the SAME
 * persisted state; three times (two once a lockout has shown). A burst is only
 * killed once every patient has had a write accepted in it, so a patient with
 * none within 60 s of a (re)start is a lockout (H-07). Then, within 60 s of
 * the last restart:
 *
 * - every touched patient accepts writes again on both channels (no lockout),
 *   ending with no active flag;
 * - R4 search, R4 read of the active flag and the legacy query agree, and
 *   agree with what clients were told when no answer was left open;
 * - every flag a client was told exists is still readable (nothing lost);
 * - every change a client was told succeeded (201 Add / legacy create, 200
 *   Remove / legacy delete) has its audit row in D1: `change:{flagId}:{versionId}`,
 *   the record the ledger commits with the change (for legacy answers, which
 *   carry no flag id, the change record of the answer's X-Request-ID).
 *
 * Requests cut off by the kill (no answer) were never "told succeeded": they
 * may or may not have committed, and nothing is asserted of them.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { signSandboxToken } from '../scripts/sandbox-token.ts';
import { type CrashReport, type CrashableServer, createCrashableServer } from './support/crashable-server.ts';

/** How many times the server is killed mid-burst (the issue asks for at least two). */
const KILLS = 3;
/** After the last restart: the time within which everything must be back and audited. */
const RECOVERY_WITHIN_MS = 60_000;
/**
 * A burst is killed once this many writes of it were acknowledged (a random number in the range) and every patient
 * has had a write accepted in it, not before a random 300–1500 ms into it. A patient that has had no write accepted
 * {@link RECOVERY_WITHIN_MS} after the server (re)started is locked out (H-07): the burst is then killed all the same.
 */
const KILL_AFTER_ACKS = { min: 6, max: 18 } as const;
const KILL_NOT_BEFORE_MS = { min: 300, max: 1_500 } as const;
/** A patient's loop pauses after this many accepted writes in one burst (only a burst waiting out a lockout gets there). */
const MAX_ACCEPTED_PER_PATIENT_PER_BURST = 40;
/**
 * How often a patient's check is retried after the last restart. Clients retry promptly; a sparse retry would also let
 * the local runtime evict a Durable Object instance left broken by the crash and so hide a lockout that lasts while
 * the patient is in use (measured on the code before the fix: 503 for 150 s and more with a retry every second, but
 * cleared after 45–105 s with one every 2–5 s).
 */
const RETRY_EVERY_MS = 1_000;
/** Each request's own limit: a request the kill cut off fails at once; this only bounds a hung one. */
const REQUEST_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 235_000;

const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const FGM_CODE = { system: 'http://snomed.info/sct', code: '902961000000107' };
const REMOVAL_REASON_URL = 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason';
const REMOVAL_REASON_SYSTEM = 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason';
/** The assessment date of every Add: after every test patient's birth, before today. */
const ASSESSMENT_DATE = '2024-05-01';
/** The sandbox patient with the seeded flag: never touched here. */
const SEEDED_PATIENT = '9000000009';
const LEGACY_CONTENT_TYPE = 'application/xml+fhir; charset=utf-8';

type Channel = 'r4' | 'messaging';
type Kind = 'add' | 'remove';

/** A test patient: a girl (female, unknown, other or no gender) under 18 in the sandbox directory. */
interface Patient {
  readonly nhsNumber: string;
  readonly birthDate: string;
}

/** What one answer said of a patient's flag. */
interface Answer {
  /** The HTTP status, or `null` when no answer came (the kill cut it off). */
  readonly status: number | null;
  readonly code?: string | undefined;
  readonly error?: string | undefined;
  /** R4: the flag the answer names, and its version (ETag). Legacy answers name none. */
  readonly flagId?: string | undefined;
  readonly versionId?: string | undefined;
  readonly requestId?: string | undefined;
  readonly flagStatus?: string | undefined;
  readonly subject?: string | undefined;
}

/** One write a client sent, and what it was told. */
interface Attempt extends Omit<Answer, 'flagStatus' | 'subject'> {
  readonly phase: string;
  readonly nhsNumber: string;
  readonly channel: Channel;
  readonly kind: Kind;
}

/** A row of `audit_events`, as far as this test reads it. */
interface AuditRow {
  readonly record_id: string;
  readonly request_id: string;
  readonly nhs_number: string | null;
  readonly flag_id: string | null;
  readonly status: number;
  readonly interaction: string;
  readonly channel: string;
}

let server: CrashableServer | undefined;

afterAll(async () => {
  await server?.dispose();
}, 60_000);

/** A small seeded PRNG (mulberry32), so a failing run's choices can be replayed with CRASH_TEST_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const between = (random: () => number, range: { min: number; max: number }) => range.min + Math.floor(random() * (range.max - range.min + 1));

/**
 * The sandbox patients an Add may be made for (spec §15, D-7): a birth date
 * with the 18th birthday more than a week away, gender anything but male,
 * and not the patient whose seeded flag other examples rely on.
 */
function eligiblePatients(): Patient[] {
  const fixtures = JSON.parse(readFileSync(new URL('../src/sandbox/fixtures.json', import.meta.url), 'utf8')) as {
    patients: Record<string, { gender?: string; birthDate?: string }>;
  };
  const weekAhead = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  return Object.entries(fixtures.patients)
    .filter(([nhsNumber, { gender, birthDate }]) => {
      if (nhsNumber === SEEDED_PATIENT || gender === 'male' || !birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return false;
      const eighteenth = `${Number(birthDate.slice(0, 4)) + 18}${birthDate.slice(4)}`;
      return eighteenth > weekAhead && birthDate <= ASSESSMENT_DATE;
    })
    .map(([nhsNumber, { birthDate }]) => ({ nhsNumber, birthDate: birthDate as string }));
}

/** The example legacy messages (`examples/legacy/`), with the patient, a fresh MessageHeader id and Bundle id put in. */
const LEGACY_TEMPLATES = {
  create: readFileSync(new URL('../examples/legacy/create.xml', import.meta.url), 'utf8'),
  delete: readFileSync(new URL('../examples/legacy/delete.xml', import.meta.url), 'utf8'),
  query: readFileSync(new URL('../examples/legacy/query.xml', import.meta.url), 'utf8'),
} as const;

function legacyMessage(interaction: keyof typeof LEGACY_TEMPLATES, patient: Patient): string {
  return LEGACY_TEMPLATES[interaction]
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(<Bundle xmlns="http:\/\/hl7\.org\/fhir">\s*<id value=")[^"]*"/, `$1${randomUUID()}"`)
    .replace(/(<MessageHeader>\s*<id value=")[^"]*"/, `$1${randomUUID()}"`)
    .replace(/<value value="9\d{9}"\/>/g, `<value value="${patient.nhsNumber}"/>`)
    .replace(/(<name value="NHSNumber"\/>\s*<valueString value=")\d{10}"/, `$1${patient.nhsNumber}"`)
    .replace(/<birthDate value="[^"]*"\/>/, `<birthDate value="${patient.birthDate}"/>`);
}

/** A client of the register over one server's origin, with a sandbox token allowed everything. */
class Client {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private headers(json: boolean): Record<string, string> {
    return {
      Authorization: `Bearer ${this.token}`,
      TraceID: randomUUID(),
      FromASID: '200000000001',
      ToASID: '200000000000',
      ...(json ? { 'Content-Type': 'application/fhir+json' } : {}),
    };
  }

  /** Sends one request; an answer's status, headers and body, or `null` status and the error when none came. */
  private async send(path: string, init: RequestInit): Promise<{ status: number | null; headers?: Headers; text: string; error?: string }> {
    try {
      const response = await fetch(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { status: null, text: '', error: `${error instanceof Error ? error.message : String(error)}${cause}` };
    }
  }

  /** An R4 answer: the Flag's id, version, status and subject, or the OperationOutcome's code. */
  private static r4Answer(sent: { status: number | null; headers?: Headers; text: string; error?: string }): Answer {
    if (sent.status === null) return { status: null, error: sent.error };
    const requestId = sent.headers?.get('X-Request-ID') ?? undefined;
    let body: {
      resourceType?: string;
      id?: string;
      status?: string;
      meta?: { versionId?: string };
      subject?: { identifier?: { value?: string } };
      issue?: { details?: { coding?: { code?: string }[] } }[];
    } = {};
    try {
      body = JSON.parse(sent.text) as typeof body;
    } catch {
      // Not JSON (e.g. a plain-text 503 of the local proxy): the status says enough.
    }
    if (body.resourceType === 'OperationOutcome') return { status: sent.status, requestId, code: body.issue?.[0]?.details?.coding?.[0]?.code };
    const etag = /^W\/"([^"]+)"$/.exec(sent.headers?.get('ETag') ?? '')?.[1];
    return {
      status: sent.status,
      requestId,
      flagId: body.id,
      versionId: body.meta?.versionId ?? etag,
      flagStatus: body.status,
      subject: body.subject?.identifier?.value,
    };
  }

  /** A legacy answer: the Spine code of its OperationOutcome, the Flag a query found. */
  private static legacyAnswer(sent: { status: number | null; headers?: Headers; text: string; error?: string }): Answer {
    if (sent.status === null) return { status: null, error: sent.error };
    return {
      status: sent.status,
      requestId: sent.headers?.get('X-Request-ID') ?? undefined,
      code: /<details><coding><system value="[^"]*"\/><code value="([^"]+)"\/>/.exec(sent.text)?.[1],
      flagId: /<data><reference value="Flag\/([^"]+)"\/><\/data>/.exec(sent.text)?.[1],
    };
  }

  /** R4 search: the patient's active flag (id, version) in `flagId`, none when absent; status 200 for an answer. */
  async search(patient: Patient): Promise<Answer> {
    const sent = await this.send(`/Flag?patient:identifier=${encodeURIComponent(`${NHS_SYSTEM}|${patient.nhsNumber}`)}`, {
      headers: this.headers(false),
    });
    if (sent.status !== 200) return Client.r4Answer(sent);
    const bundle = JSON.parse(sent.text) as { total?: number; entry?: { resource?: { id?: string; meta?: { versionId?: string } } }[] };
    const resource = bundle.entry?.[0]?.resource;
    return { status: 200, flagId: bundle.total === 0 ? undefined : resource?.id, versionId: resource?.meta?.versionId };
  }

  async read(flagId: string): Promise<Answer> {
    return Client.r4Answer(await this.send(`/Flag/${flagId}`, { headers: this.headers(false) }));
  }

  async add(patient: Patient): Promise<Answer> {
    const body = {
      resourceType: 'Flag',
      status: 'active',
      code: { coding: [FGM_CODE] },
      subject: { identifier: { system: NHS_SYSTEM, value: patient.nhsNumber } },
      period: { start: ASSESSMENT_DATE },
    };
    return Client.r4Answer(await this.send('/Flag', { method: 'POST', headers: this.headers(true), body: JSON.stringify(body) }));
  }

  async remove(flagId: string): Promise<Answer> {
    const body = {
      resourceType: 'Flag',
      id: flagId,
      status: 'entered-in-error',
      extension: [{ url: REMOVAL_REASON_URL, valueCoding: { system: REMOVAL_REASON_SYSTEM, code: '0' } }],
    };
    return Client.r4Answer(await this.send(`/Flag/${flagId}`, { method: 'PUT', headers: this.headers(true), body: JSON.stringify(body) }));
  }

  async legacy(interaction: keyof typeof LEGACY_TEMPLATES, patient: Patient): Promise<Answer> {
    const sent = await this.send(`/fhir/fgm/${interaction}`, {
      method: 'POST',
      headers: { 'Content-Type': LEGACY_CONTENT_TYPE },
      body: legacyMessage(interaction, patient),
    });
    return Client.legacyAnswer(sent);
  }
}

/** Whether an answer told its client the change succeeded. */
const toldSucceeded = (attempt: Pick<Attempt, 'kind' | 'status'>) => attempt.status === (attempt.kind === 'add' ? 201 : 200);

/** Everything the clients sent and were told, in order. */
class Journal {
  readonly attempts: Attempt[] = [];

  record(phase: string, patient: Patient, channel: Channel, kind: Kind, answer: Answer): Attempt {
    const attempt: Attempt = {
      phase,
      nhsNumber: patient.nhsNumber,
      channel,
      kind,
      status: answer.status,
      code: answer.code,
      error: answer.error,
      flagId: answer.flagId,
      versionId: answer.versionId,
      requestId: answer.requestId,
    };
    this.attempts.push(attempt);
    return attempt;
  }

  acknowledged(): Attempt[] {
    return this.attempts.filter(toldSucceeded);
  }
}

/** What the clients of one burst know, and when the burst is to stop. */
interface BurstControl {
  killing: boolean;
  acknowledged: number;
  inFlight: number;
  /** The patients who have had a write accepted in this burst. */
  readonly accepted: Set<string>;
}

/**
 * One client loop for one patient: Add then Remove, again and again, each
 * write on a channel picked at random, so a flag added on one channel is
 * often removed on the other. The patient's state is re-read (R4 search)
 * whenever an answer leaves it unknown. Ends when the server is killed (no
 * answer, or the burst is over), or after `maxWrites` (a bound never reached in
 * a minute of 503s).
 */
async function clientLoop(
  client: Client,
  patient: Patient,
  phase: string,
  journal: Journal,
  control: BurstControl,
  random: () => number,
): Promise<void> {
  const maxWrites = 2_000;
  // undefined: unknown; null: no active flag; a string: the active flag's id ('' when a legacy create left it unnamed).
  let active: string | null | undefined;
  let accepted = 0;
  for (let writes = 0; writes < maxWrites && !control.killing; ) {
    if (accepted >= MAX_ACCEPTED_PER_PATIENT_PER_BURST) {
      await sleep(100);
      continue;
    }
    if (active === undefined || active === '') {
      const found = await client.search(patient);
      if (found.status === null) return;
      if (found.status !== 200) {
        await sleep(100);
        continue;
      }
      active = found.flagId ?? null;
      continue;
    }
    const channel: Channel = random() < 0.5 ? 'r4' : 'messaging';
    const kind: Kind = active === null ? 'add' : 'remove';
    control.inFlight++;
    let answer: Answer;
    if (channel === 'r4') answer = kind === 'add' ? await client.add(patient) : await client.remove(active ?? '');
    else answer = await client.legacy(kind === 'add' ? 'create' : 'delete', patient);
    control.inFlight--;
    writes++;
    const attempt = journal.record(phase, patient, channel, kind, answer);
    if (answer.status === null) {
      if (control.killing) return;
      active = undefined;
      await sleep(200);
      continue;
    }
    if (toldSucceeded(attempt)) {
      control.acknowledged++;
      control.accepted.add(patient.nhsNumber);
      accepted++;
      active = kind === 'add' ? (answer.flagId ?? '') : null;
    } else {
      // A refusal (another loop cannot interfere: one loop per patient), or 503: re-read and go on.
      active = undefined;
      if (answer.status >= 500) await sleep(300);
    }
  }
}

/** What one burst did, and what its SIGKILL left. */
interface BurstReport {
  readonly crash: CrashReport;
  readonly acknowledged: number;
  readonly inFlightAtKill: number;
  readonly elapsedMs: number;
  readonly attempts: number;
  /** The patients with no write accepted {@link RECOVERY_WITHIN_MS} after the server was ready (H-07). */
  readonly lockedOut: readonly Patient[];
}

/**
 * One burst against the running server (ready since `readyAt`), then the SIGKILL of its process group mid-burst:
 * once enough writes were acknowledged and every patient has had one accepted, or once a patient is locked out.
 */
async function burstAndKill(
  live: CrashableServer,
  readyAt: number,
  token: string,
  patients: readonly Patient[],
  phase: string,
  journal: Journal,
  random: () => number,
): Promise<BurstReport> {
  const client = new Client(live.baseUrl, token);
  const control: BurstControl = { killing: false, acknowledged: 0, inFlight: 0, accepted: new Set() };
  const killAfterAcks = between(random, KILL_AFTER_ACKS);
  const notBefore = between(random, KILL_NOT_BEFORE_MS);
  const before = journal.attempts.length;
  const started = Date.now();
  const loops = patients.map((patient) => clientLoop(client, patient, phase, journal, control, prng(Math.floor(random() * 2 ** 32))));
  const allDone = Promise.all(loops);
  let loopsEnded = false;
  void allDone.then(() => {
    loopsEnded = true;
  });
  for (;;) {
    const elapsed = Date.now() - started;
    const everyoneAccepted = control.accepted.size === patients.length;
    if (loopsEnded || Date.now() - readyAt >= RECOVERY_WITHIN_MS) break;
    if (elapsed >= notBefore && control.acknowledged >= killAfterAcks && everyoneAccepted) break;
    await sleep(10);
  }
  control.killing = true;
  const lockedOut = patients.filter((patient) => !control.accepted.has(patient.nhsNumber));
  const inFlightAtKill = control.inFlight;
  const crash = await live.crash();
  await allDone;
  return {
    crash,
    acknowledged: control.acknowledged,
    inFlightAtKill,
    elapsedMs: Date.now() - started,
    attempts: journal.attempts.length - before,
    lockedOut,
  };
}

/** The patient's flag as R4 search, R4 read and the legacy query each see it; `agree` when they tell the same. */
async function views(client: Client, patient: Patient): Promise<{ agree: boolean; active: string | null | undefined; detail: string }> {
  const search = await client.search(patient);
  const query = await client.legacy('query', patient);
  const searched = search.status === 200 ? (search.flagId ?? null) : undefined;
  const queried = query.status === 200 ? (query.flagId ?? undefined) : query.status === 404 && query.code === 'NO_RECORD_FOUND' ? null : undefined;
  let detail = `search ${search.status}${searched ? ` ${searched}` : searched === null ? ' none' : ''}; query ${query.status}${query.code ? ` ${query.code}` : ''}${queried ? ` ${queried}` : ''}`;
  if (searched === undefined || queried === undefined) return { agree: false, active: undefined, detail };
  if (searched !== queried) return { agree: false, active: undefined, detail };
  if (searched === null) return { agree: true, active: null, detail };
  const read = await client.read(searched);
  detail += `; read ${read.status} ${read.flagStatus ?? ''}`;
  const agree = read.status === 200 && read.flagId === searched && read.flagStatus === 'active' && read.subject === patient.nhsNumber;
  return { agree, active: agree ? searched : undefined, detail };
}

/**
 * One full round of writes for a patient, on both channels, ending with no
 * active flag: (an R4 Add if none is active) → R4 Remove → legacy create →
 * legacy delete. Every answer is journalled.
 */
async function writeRound(client: Client, patient: Patient, journal: Journal): Promise<{ ok: boolean; detail: string }> {
  const phase = 'after the last restart';
  const found = await client.search(patient);
  if (found.status !== 200) return { ok: false, detail: `R4 search ${found.status ?? found.error}` };
  let active = found.flagId;
  if (!active) {
    const added = await client.add(patient);
    journal.record(phase, patient, 'r4', 'add', added);
    if (added.status !== 201 || !added.flagId) return { ok: false, detail: `R4 add ${added.status ?? added.error} ${added.code ?? ''}` };
    active = added.flagId;
  }
  const removed = await client.remove(active);
  journal.record(phase, patient, 'r4', 'remove', removed);
  if (removed.status !== 200) return { ok: false, detail: `R4 remove ${removed.status ?? removed.error} ${removed.code ?? ''}` };
  const created = await client.legacy('create', patient);
  journal.record(phase, patient, 'messaging', 'add', created);
  if (created.status !== 201) return { ok: false, detail: `legacy create ${created.status ?? created.error} ${created.code ?? ''}` };
  const deleted = await client.legacy('delete', patient);
  journal.record(phase, patient, 'messaging', 'remove', deleted);
  if (deleted.status !== 200) return { ok: false, detail: `legacy delete ${deleted.status ?? deleted.error} ${deleted.code ?? ''}` };
  return { ok: true, detail: 'R4 and legacy writes accepted' };
}

/**
 * The state a patient must be in when no answer was left open after the
 * last acknowledged write: the flag that Add created (by id when the answer
 * named it), or none after a Remove (or when nothing was ever acknowledged).
 * `undefined` when a request after it got no answer or a 5xx, which may or
 * may not have committed.
 */
function expectedState(journal: Journal, patient: Patient): { active: string | null; known: boolean } | undefined {
  const mine = journal.attempts.filter((a) => a.nhsNumber === patient.nhsNumber);
  let lastAck = -1;
  mine.forEach((attempt, index) => {
    if (toldSucceeded(attempt)) lastAck = index;
  });
  if (mine.slice(lastAck + 1).some((a) => a.status === null || a.status >= 500)) return undefined;
  const last = mine[lastAck];
  if (!last || last.kind === 'remove') return { active: null, known: true };
  return { active: last.flagId ?? '', known: last.flagId !== undefined };
}

/** The audit row a change a client was told succeeded must have, by record id (R4) or by the answer's request id (legacy). */
function missingAuditRows(acknowledged: readonly Attempt[], rows: readonly AuditRow[]): Attempt[] {
  const byRecord = new Map(rows.map((row) => [row.record_id, row]));
  const changeByRequest = new Map(rows.filter((row) => row.record_id.startsWith('change:')).map((row) => [row.request_id, row]));
  return acknowledged.filter((attempt) => {
    if (attempt.channel === 'r4') {
      const row = byRecord.get(`change:${attempt.flagId}:${attempt.versionId}`);
      return !(row && row.nhs_number === attempt.nhsNumber && row.status === attempt.status);
    }
    const row = attempt.requestId ? changeByRequest.get(attempt.requestId) : undefined;
    return !(
      row &&
      row.channel === 'messaging' &&
      row.interaction === (attempt.kind === 'add' ? 'create' : 'delete') &&
      row.nhs_number === attempt.nhsNumber &&
      row.status === attempt.status
    );
  });
}

/** ` (patient: detail; …)` for a non-empty list of per-patient findings, else ''. */
function listed(findings: readonly { patient: Patient; detail: string }[]): string {
  return findings.length ? ` (${findings.map((f) => `${f.patient.nhsNumber}: ${f.detail}`).join('; ')})` : '';
}

/** Counts of a list of attempts by phase, channel and kind, for the diagnostics. */
function tally(attempts: readonly Attempt[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of attempts) {
    const key = `${a.phase} ${a.channel} ${a.kind}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('crash: SIGKILL of wrangler dev mid-burst, restarted on the same state', () => {
  it(
    '[H-05] [H-06] [H-07] after SIGKILLs mid-burst, within 60 s every touched patient takes writes on both channels, search, read and query agree, and every acknowledged change has its audit row',
    async () => {
      const testStarted = Date.now();
      const seed = Number(process.env.CRASH_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const random = prng(seed);
      const patients = eligiblePatients();
      console.info(`crash test: seed ${seed} (CRASH_TEST_SEED replays the choices); patients ${patients.map((p) => p.nhsNumber).join(', ')}`);
      expect(patients.length, 'at least four sandbox girls under 18 to write for').toBeGreaterThanOrEqual(4);

      const token = await signSandboxToken({ sub: '555555555555', activities: ['B0380'], role: 'R8000', org: 'A12345' });
      const journal = new Journal();
      const live = await createCrashableServer();
      server = live;
      const startMs = [await live.start()];

      // Bursts, each killed mid-way; restarted on the same state after each.
      // A patient locked out after an earlier restart (no write accepted within 60 s of it), by burst.
      const burstLockouts: string[] = [];
      let kills = 0;
      while (kills < KILLS) {
        const readyAt = Date.now();
        const burst = await burstAndKill(live, readyAt, token, patients, `burst ${kills + 1}`, journal, random);
        kills++;
        console.info(
          `crash test: burst ${kills}: ${burst.attempts} writes sent, ${burst.acknowledged} acknowledged, ${burst.inFlightAtKill} in flight at the SIGKILL ` +
            `(${burst.elapsedMs} ms in); group ${burst.crash.pgid}: ${burst.crash.processesKilled} processes killed, ` +
            `${burst.crash.survivors.length} survived, ${burst.crash.zombies} unreaped zombies; ` +
            `${burst.lockedOut.length} patients with no write accepted within 60 s of the start`,
        );
        expect(burst.crash.survivors, 'no process of the killed group survives the SIGKILL').toEqual([]);
        for (const patient of burst.lockedOut) {
          const answers = journal.attempts
            .filter((a) => a.phase === `burst ${kills}` && a.nhsNumber === patient.nhsNumber)
            .map((a) => a.status ?? 'none');
          burstLockouts.push(`${patient.nhsNumber} in burst ${kills}: ${answers.length} writes, answers ${[...new Set(answers)].join('/')}`);
        }
        startMs.push(await live.start());
        // A lockout is shown; more bursts would only repeat it (and the whole test must stay within its 4 minutes).
        if (burst.lockedOut.length > 0 && kills >= 2) break;
      }
      const restarted = Date.now();
      const deadline = restarted + RECOVERY_WITHIN_MS;
      console.info(`crash test: server ready in ${startMs.join(', ')} ms (first start, then each restart)`);
      const client = new Client(live.baseUrl, token);

      // (b) search, read and query agree, and agree with what clients were told when no answer was left open.
      const seen = await Promise.all(
        patients.map(async (patient) => {
          let last = await views(client, patient);
          while (!last.agree && Date.now() < deadline) {
            await sleep(RETRY_EVERY_MS);
            last = await views(client, patient);
          }
          return { patient, ...last };
        }),
      );
      const disagreeing = seen.filter((s) => !s.agree);
      const notAsTold = seen.filter(({ patient, agree, active }) => {
        const expected = expectedState(journal, patient);
        if (!agree || !expected) return false;
        if (expected.active === null) return active !== null;
        return active === null || (expected.known && active !== expected.active);
      });

      // (a) every touched patient takes writes on both channels again.
      const rounds = await Promise.all(
        patients.map(async (patient) => {
          let round = await writeRound(client, patient, journal);
          while (!round.ok && Date.now() < deadline) {
            await sleep(RETRY_EVERY_MS);
            round = await writeRound(client, patient, journal);
          }
          const acceptedAfterMs = Date.now() - restarted;
          // Each round ends with no active flag: search, read and query must now all say so.
          const after = round.ok ? await views(client, patient) : undefined;
          return { patient, ...round, acceptedAfterMs, after };
        }),
      );
      const lockedOut = rounds.filter((r) => !r.ok);
      const lockedOutAfterMs = Date.now() - restarted;
      const recoveredIn = rounds
        .filter((r) => r.ok)
        .map((r) => `${r.patient.nhsNumber} ${Math.round(r.acceptedAfterMs / 1000)} s`)
        .join(', ');
      for (const { patient, after } of rounds) {
        if (after && !(after.agree && after.active === null)) disagreeing.push({ patient, ...after, detail: `after the writes: ${after.detail}` });
      }

      // Nothing a client was told exists is lost: every acknowledged R4 Add and Remove is readable, at least at that version.
      const acknowledged = journal.acknowledged();
      const lost: string[] = [];
      for (const attempt of acknowledged.filter((a) => a.channel === 'r4')) {
        const read = await client.read(attempt.flagId ?? '');
        const version = Number(read.versionId);
        if (read.status !== 200 || read.subject !== attempt.nhsNumber || !(version >= Number(attempt.versionId))) {
          lost.push(
            `${attempt.phase}: R4 ${attempt.kind} of ${attempt.flagId} v${attempt.versionId} for ${attempt.nhsNumber}: read ${read.status} v${read.versionId}`,
          );
        }
      }

      // (c) every change a client was told succeeded has its audit row: polled while the server runs, until the deadline.
      let rows: AuditRow[] = [];
      let missing: Attempt[] = acknowledged;
      const changeRows =
        "SELECT record_id, request_id, nhs_number, flag_id, status, interaction, channel FROM audit_events WHERE record_id LIKE 'change:%'";
      do {
        rows = await live.queryAuditDb<AuditRow>(changeRows);
        missing = missingAuditRows(acknowledged, rows);
        if (missing.length > 0 && Date.now() < deadline) await sleep(3_000);
      } while (missing.length > 0 && Date.now() < deadline);
      // The last word from the persisted D1, with the server stopped (a clean shutdown).
      await live.stop();
      rows = await live.queryAuditDb<AuditRow>(changeRows);
      missing = missingAuditRows(acknowledged, rows);

      const summary = [
        `crash test summary (seed ${seed}, ${kills} SIGKILLs, ${Math.round((Date.now() - testStarted) / 1000)} s):`,
        `  writes sent: ${journal.attempts.length}; told succeeded: ${acknowledged.length} ${JSON.stringify(tally(acknowledged))}`,
        `  no answer (cut off by a kill): ${journal.attempts.filter((a) => a.status === null).length}; ` +
          `503: ${journal.attempts.filter((a) => a.status === 503).length} ${JSON.stringify(tally(journal.attempts.filter((a) => a.status === 503)))}`,
        `  change rows in D1: ${rows.length}; acknowledged changes audited: ${acknowledged.length - missing.length}/${acknowledged.length}; ` +
          `missing ${missing.length} ${JSON.stringify(tally(missing))}`,
        `  patients with no write accepted within 60 s of an earlier restart: ${burstLockouts.length ? burstLockouts.join('; ') : 'none'}`,
        `  patients locked out ${Math.round(lockedOutAfterMs / 1000)} s after the last restart: ${lockedOut.length}/${patients.length}${listed(lockedOut)}`,
        `  writes accepted on both channels again (after the last restart): ${recoveredIn || 'none'}`,
        `  patients whose search, read and query disagree: ${disagreeing.length}/${patients.length}${listed(disagreeing)}`,
        `  patients not in the state clients were last told: ${notAsTold.length}${listed(notAsTold)}`,
        `  acknowledged flags lost: ${lost.length}`,
      ].join('\n');
      console.info(summary);

      expect
        .soft(
          [...burstLockouts, ...lockedOut.map((r) => `${r.patient.nhsNumber} after the last restart: ${r.detail}`)],
          `[H-07] patients locked out after a restart\n${summary}`,
        )
        .toEqual([]);
      expect
        .soft(
          disagreeing.map((s) => `${s.patient.nhsNumber}: ${s.detail}`),
          `[H-05] search, read and query disagree\n${summary}`,
        )
        .toEqual([]);
      expect
        .soft(
          notAsTold.map((s) => `${s.patient.nhsNumber}: ${s.detail}`),
          `[H-05] a patient not in the state clients were told\n${summary}`,
        )
        .toEqual([]);
      expect.soft(lost, `[H-05] acknowledged flags lost\n${summary}`).toEqual([]);
      expect
        .soft(
          missing.map(
            (a) =>
              `${a.phase}: ${a.channel} ${a.kind} ${a.status} for ${a.nhsNumber} (${a.flagId ? `change:${a.flagId}:${a.versionId}` : `request ${a.requestId}`})`,
          ),
          `[H-06] acknowledged changes with no audit row\n${summary}`,
        )
        .toEqual([]);
      expect(acknowledged.length, 'the bursts had changes acknowledged at all').toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );
});
