/**
 * Prints a signed SANDBOX access token for the claims given on the command
 * line, with the Worker's own sandbox issuer, audience and secret.
 *
 *   npm run token -- --activities B0380
 *   npm run token -- --activities B0370 --sub 555555555555 --role R8000 --org A12345 --ttl 600
 */
import { parseArgs } from 'node:util';
import { signSandboxToken } from './sandbox-token.ts';

const { values } = parseArgs({
  options: {
    activities: { type: 'string', default: 'B0380' },
    sub: { type: 'string', default: '555555555555' },
    role: { type: 'string', default: 'R8000' },
    org: { type: 'string', default: 'A12345' },
    ttl: { type: 'string', default: '3600' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.warn('Usage: npm run token -- [--activities B0370,B0380] [--sub ID] [--role ID] [--org ODS] [--ttl SECONDS]');
  process.exit(0);
}

const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('--ttl must be a positive number of seconds');
const activities = values.activities
  .split(',')
  .map((a) => a.trim())
  .filter(Boolean);
process.stdout.write(`${await signSandboxToken({ sub: values.sub, activities, role: values.role, org: values.org }, ttl)}\n`);
