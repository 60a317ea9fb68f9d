/**
 * Where a request's own time goes, part by part, in this Node process: each
 * step a search or an Add makes, timed on its own with the same inputs, and
 * what is left of the whole request (Hono's routing and middleware chain,
 * headers, the Request and Response objects).
 */
import { buildSearchBundle, decideAdd, londonDate, parseSearchQuery, searchMatch, validateAddBody } from '@fgm-is/rules';
import { SignJWT } from 'jose';
import { completeAudit } from '../../apps/api/src/audit/draft.ts';
import { createTokenVerifier } from '../../apps/api/src/auth/token-verifier.ts';
import { type ConfigEnv, readConfig } from '../../apps/api/src/config/index.ts';
import { type CallFigures, timeCalls } from './timing.ts';

/** Median microseconds per step. */
export type Breakdown = Record<string, number>;

const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

export async function breakdown(vars: ConfigEnv, calls: number): Promise<Breakdown> {
  const config = readConfig(vars);
  const secret = config.auth.keys.kind === 'secret' ? config.auth.keys.secret : '';
  const now = new Date();
  const seconds = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT({ activities: ['B0380'], role: 'R8000', org: 'A12345' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('555555555555')
    .setIssuer(config.auth.issuer)
    .setAudience(config.auth.audience)
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + 3600)
    .sign(new TextEncoder().encode(secret));
  const warmVerifier = createTokenVerifier(config.auth);
  await warmVerifier.verify(token, now);
  const londonIntl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
  const record = {
    nhsNumber: '9000000009',
    agesOutOn: '2033-06-01',
    flag: {
      resourceType: 'Flag',
      id: 'a6a6a92a-8247-4250-b1c7-10cda16f0310',
      meta: { versionId: '1', lastUpdated: '2026-01-05T09:30:00.000Z' },
      status: 'active',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }] },
      subject: { identifier: { system: NHS_SYSTEM, value: '9000000009' } },
      period: { start: '2019-12-10' },
    },
  };
  const stored = JSON.stringify(record);
  const query = new URLSearchParams({ 'patient:identifier': `${NHS_SYSTEM}|9000000009` });
  const addBody = JSON.stringify({
    resourceType: 'Flag',
    status: 'active',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '902961000000107' }] },
    subject: { identifier: { system: NHS_SYSTEM, value: '9000000017' } },
    period: { start: '2024-05-01' },
  });
  const draft = {
    requestId: crypto.randomUUID(),
    occurredAt: now.toISOString(),
    day: '2026-11-22',
    channel: 'r4' as const,
    interaction: 'search' as const,
    traceId: 'bench',
    fromAsid: '200000000001',
    userSub: '555555555555',
    userRole: 'R8000',
    userOrg: 'A12345',
    nhsNumber: '9000000009',
    messageBirthDate: null,
    gpPractice: null,
  };
  const today = londonDate(now);
  const bundle = buildSearchBundle({
    id: crypto.randomUUID(),
    lastUpdated: now.toISOString(),
    baseUrl: 'http://127.0.0.1',
    nhsNumber: '9000000009',
    match: record.flag as never,
  });

  const steps: Record<string, (i: number) => unknown> = {
    'token: key import + HMAC verify + claims (first use of a token)': () => createTokenVerifier(config.auth).verify(token, now),
    'token: remembered token, claims re-checked (every later use)': () => warmVerifier.verify(token, now),
    'configuration parse (once per isolate, not per request)': () => readConfig(vars),
    'Europe/London date, Intl formatToParts (before)': () => londonIntl.formatToParts(now),
    'Europe/London date, remembered hour (after)': () => londonDate(now),
    'search rules: query, match, Bundle': () => {
      const q = parseSearchQuery(query);
      return (
        q.ok &&
        buildSearchBundle({
          id: 'x',
          lastUpdated: 'y',
          baseUrl: 'http://127.0.0.1',
          nhsNumber: q.value.nhsNumber,
          match: searchMatch(record as never, today),
        })
      );
    },
    'add rules: body validation and decision': () => {
      const request = validateAddBody(JSON.parse(addBody), today);
      return (
        request.ok &&
        decideAdd({ request: request.value, patient: { gender: 'female', birthDate: '2015-01-01' }, activeFlag: null, today, id: 'x', now: 'y' })
      );
    },
    'JSON: parse the stored record': () => JSON.parse(stored),
    'JSON: serialise the search Bundle': () => JSON.stringify(bundle),
    'audit: complete the record and serialise it for the queue': () =>
      JSON.stringify(completeAudit(draft, { recordId: 'r', status: 200, detailsCode: null, flagId: 'x' })),
    'Request + Response objects (Node undici)': async () => {
      const request = new Request(`http://127.0.0.1/Flag?patient:identifier=${NHS_SYSTEM}|9000000009`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      request.headers.get('Authorization');
      return new Response(JSON.stringify(bundle), { headers: { 'Content-Type': 'application/fhir+json' } }).arrayBuffer();
    },
  };
  const figures: Breakdown = {};
  for (const [name, step] of Object.entries(steps)) {
    const f: CallFigures = await timeCalls(async (i) => step(i), calls);
    figures[name] = f.medianMicros;
  }
  return figures;
}
