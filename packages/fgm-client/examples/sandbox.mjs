// A supplier's first run of @fgm-is/client against the local sandbox (`npm start` in the FGM-IS repository):
// every interaction of both channels, each answer a typed Result. Plain Node ESM, nothing to build:
//
//   node examples/sandbox.mjs http://127.0.0.1:8787
//
// Safe to run again and again: it uses 9000000017 and 9000000084 and leaves them without a flag, and only reads the
// seeded flag of 9000000009. The token is minted with the sandbox's published secret (sandbox only, never production).
import { createHmac, randomUUID } from 'node:crypto';
import { createClient } from '@fgm-is/client';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:8787';
const SANDBOX_SECRET = 'fgm-is-sandbox-secret-not-for-production';

/** An HS256 sandbox token for a user allowed every interaction (B0380). */
function sandboxToken() {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: '555555555555',
    role: 'R8000',
    org: 'A12345',
    activities: ['B0380'],
    iss: 'https://auth.sandbox.fgm-is.local',
    aud: 'fgm-is-api',
    iat: now,
    exp: now + 600,
  };
  const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${createHmac('sha256', SANDBOX_SECRET).update(input).digest('base64url')}`;
}

const fgm = createClient({
  baseUrl,
  fromAsid: '200000000001',
  toAsid: '200000000000',
  token: async () => sandboxToken(),
  author: { userId: '555555555555', roleProfileId: '555555555666', odsCode: 'A12345' },
  traceId: () => `sandbox-example-${randomUUID()}`,
});

const seen = [];
/** Records a step; a result that is not what the sandbox must give stops the script. */
function step(name, result, expected) {
  const got = result.ok ? 'ok' : `${result.error.status} ${result.error.code}`;
  seen.push({ step: name, got });
  console.info(`${got === expected ? '✓' : '✗'} ${name}: ${got}${result.ok ? '' : ` (${result.error.diagnostics})`}`);
  if (got !== expected) {
    console.info(JSON.stringify({ ok: false, steps: seen }));
    process.exit(1);
  }
  return result;
}

// R4: the seeded flag, then a full add → read → remove for a girl without one.
const seeded = step('search 9000000009', await fgm.search('9000000009'), 'ok');
const before = await fgm.search('9000000017');
if (before.ok && before.value.flag)
  step('clear 9000000017 (an earlier run left a flag)', await fgm.remove(before.value.flag.id, { reason: '0' }), 'ok');
const added = step('add 9000000017', await fgm.add({ nhsNumber: '9000000017', assessmentDate: '2024-05-01' }), 'ok');
step('read the new flag', await fgm.read(added.value.flag.id), 'ok');
step('remove it with If-Match', await fgm.remove(added.value.flag.id, { reason: '2', ifMatch: added.value.etag }), 'ok');
step('add 9000000033 (aged 18 or over)', await fgm.add({ nhsNumber: '9000000033', assessmentDate: '2024-05-01' }), '400 VALIDATION_ERROR');

// Legacy messaging: the same register.
const queried = step('legacy query 9000000009', await fgm.legacy.query('9000000009'), 'ok');
if (queried.value.flag.id !== seeded.value.flag?.id) throw new Error('the legacy query found another flag than R4 search');
const old = await fgm.legacy.query('9000000084');
if (old.ok) step('clear 9000000084 (an earlier run left a flag)', await fgm.legacy.delete('9000000084', { reason: '0' }), 'ok');
step(
  'legacy create 9000000084',
  await fgm.legacy.create({ nhsNumber: '9000000084', assessmentDate: '2024-05-01', birthDate: '2011-09-09', gpPractice: 'V81997' }),
  'ok',
);
step('legacy delete 9000000084', await fgm.legacy.delete('9000000084', { reason: '2' }), 'ok');
step('legacy query 9000000084 again', await fgm.legacy.query('9000000084'), '404 NO_RECORD_FOUND');

console.info(JSON.stringify({ ok: true, steps: seen }));
