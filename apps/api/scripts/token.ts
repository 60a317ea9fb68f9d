/**
 * Prints a signed SANDBOX access token (HS256 with the published sandbox
 * secret of spec §15) for the claims given on the command line.
 *
 *   npm run token -- --activities B0999
 *   npm run token -- --activities B0370 --sub 555555555555 --role R8000 --org A12345 --ttl 600
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { SANDBOX_AUDIENCE, SANDBOX_ISSUER, SANDBOX_JWT_SECRET } from '../src/sandbox/constants.ts';

const { values } = parseArgs({
  options: {
    activities: { type: 'string', default: 'B0999' },
    sub: { type: 'string', default: '555555555555' },
    role: { type: 'string', default: 'R8000' },
    org: { type: 'string', default: 'A12345' },
    ttl: { type: 'string', default: '3600' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.warn('Usage: npm run token -- [--activities B0370,B0999] [--sub ID] [--role ID] [--org ODS] [--ttl SECONDS]');
  process.exit(0);
}

const ttl = Number(values.ttl);
if (!Number.isFinite(ttl)) throw new Error('--ttl must be a number of seconds');
const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({
  activities: values.activities
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean),
  role: values.role,
  org: values.org,
})
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setSubject(values.sub)
  .setIssuer(SANDBOX_ISSUER)
  .setAudience(SANDBOX_AUDIENCE)
  .setIssuedAt(now)
  .setExpirationTime(now + ttl)
  .sign(new TextEncoder().encode(SANDBOX_JWT_SECRET));

process.stdout.write(`${token}\n`);
