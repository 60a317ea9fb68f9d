#!/usr/bin/env node
/**
 * `fgm-is-conformance --base <url>`: runs the FGM-IS contract's checks
 * against a server and exits 0 only when every check passed. The last line
 * printed is `N passed, M failed`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { toJUnit } from './junit/index.ts';
import type { Channel } from './runner/context.ts';
import { type CheckResult, listChecks, runConformance } from './runner/index.ts';

const USAGE = `Usage: fgm-is-conformance --base <url> [options]

Runs the FGM-IS contract's checks (docs: the package README) against a server
that serves the sandbox data of the contract's section 15. Safe to run again
and again; never removes the seeded flag of 9000000009.

Options:
  --base <url>          the server's base URL (required), e.g. http://127.0.0.1:8787
  --channels <list>     r4, legacy or r4,legacy (default r4,legacy)
  --secret <secret>     HS256 secret to mint sandbox tokens with (default: the published sandbox secret)
  --issuer <iss>        token issuer (default https://auth.sandbox.fgm-is.local)
  --audience <aud>      token audience (default fgm-is-api)
  --token <jwt>         use this one token instead of minting (checks needing other claims are skipped)
  --only <ids>          only checks whose id starts with one of these (comma-separated)
  --junit <file>        also write the results as JUnit XML
  --timeout <ms>        bound on each request (default 15000)
  --list                list the checks and exit
  --help                this text
`;

function fail(message: string): never {
  process.stderr.write(`fgm-is-conformance: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: ReturnType<typeof parse>['values'];
function parse() {
  return parseArgs({
    options: {
      base: { type: 'string' },
      channels: { type: 'string' },
      secret: { type: 'string' },
      issuer: { type: 'string' },
      audience: { type: 'string' },
      token: { type: 'string' },
      only: { type: 'string' },
      junit: { type: 'string' },
      timeout: { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
}
try {
  values = parse().values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (values.list) {
  for (const check of listChecks()) process.stdout.write(`${check.id.padEnd(44)} ${check.channel.padEnd(8)} [${check.clause}] ${check.title}\n`);
  process.exit(0);
}
if (!values.base) fail('--base is required');
try {
  const url = new URL(values.base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
} catch {
  fail(`--base must be an http(s) URL, not ${JSON.stringify(values.base)}`);
}
const channels = (values.channels ?? 'r4,legacy').split(',').map((channel) => channel.trim());
if (channels.length === 0 || channels.some((channel) => channel !== 'r4' && channel !== 'legacy')) fail('--channels takes r4, legacy or r4,legacy');
if (values.token !== undefined && (values.secret !== undefined || values.issuer !== undefined || values.audience !== undefined)) {
  fail('--token cannot be combined with --secret, --issuer or --audience');
}
const timeoutMs = values.timeout === undefined ? 15_000 : Number(values.timeout);
if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) fail('--timeout takes a whole number of milliseconds');
const only = values.only
  ?.split(',')
  .map((prefix) => prefix.trim())
  .filter((prefix) => prefix !== '');

const mark = { passed: '✓', failed: '✗', skipped: '-' } as const;
const print = (result: CheckResult) => {
  process.stdout.write(`  ${mark[result.outcome]} [${result.clause}] ${result.title} (${result.id})\n`);
  if (result.message) process.stdout.write(`      ${result.outcome === 'skipped' ? 'skipped: ' : ''}${result.message}\n`);
};

const tokensSaid =
  values.token !== undefined
    ? 'one fixed token'
    : values.secret !== undefined
      ? 'tokens minted with the given secret'
      : 'tokens minted with the sandbox secret';
process.stdout.write(`fgm-is-conformance against ${values.base} (channels ${channels.join(', ')}; ${tokensSaid})\n`);
const report = await runConformance({
  baseUrl: values.base,
  channels: channels as Channel[],
  auth:
    values.token !== undefined
      ? { token: values.token }
      : {
          ...(values.secret === undefined ? {} : { secret: values.secret }),
          ...(values.issuer === undefined ? {} : { issuer: values.issuer }),
          ...(values.audience === undefined ? {} : { audience: values.audience }),
        },
  timeoutMs,
  ...(only === undefined ? {} : { filter: (id: string) => only.some((prefix) => id.startsWith(prefix)) }),
  onResult: print,
});
if (values.junit) writeFileSync(values.junit, toJUnit(report));
if (report.results.length === 0) fail('no check matched --only');
const failed = report.results.filter((result) => result.outcome === 'failed');
if (failed.length > 0) {
  process.stdout.write('\nFailed:\n');
  for (const result of failed) process.stdout.write(`  [${result.clause}] ${result.title} (${result.id}): ${result.message}\n`);
}
if (report.skipped > 0) process.stdout.write(`${report.skipped} skipped\n`);
process.stdout.write(`${report.passed} passed, ${report.failed} failed\n`);
process.exit(report.failed === 0 ? 0 : 1);
