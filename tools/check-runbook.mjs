/**
 * The runbook's check: every signal docs/runbook.md names is emitted by the
 * code and covered by a test. Signals are written in the runbook as
 * `log:<event>` (a structured log line's `event`) or `/_status:<check>` (a
 * check of GET /_status). A log event counts as emitted when apps/api/src
 * (outside tests) passes it to `log(…)`; a status check when apps/api/src
 * names it (a `job:<name>` check: when the job's name is a `JobName`). Both
 * count as covered when a test file under apps/api quotes them.
 *
 * Usage: node tools/check-runbook.mjs. Exit 0 when every signal holds, 1 otherwise.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The signals a runbook's text names, in order, without repeats. */
export function signalsIn(markdown) {
  const found = new Map();
  for (const match of markdown.matchAll(/`(log|\/_status):([a-z0-9_:-]+)`/g))
    found.set(`${match[1]}:${match[2]}`, { kind: match[1] === 'log' ? 'log' : 'status', name: match[2] });
  return [...found.values()];
}

/** The faults of each signal against the code and the tests, as text (empty when it holds). */
export function faultsOf(signal, { source, tests }) {
  const faults = [];
  const quoted = (text, name) => text.includes(`'${name}'`) || text.includes(`"${name}"`) || text.includes(`\\"${name}\\"`);
  if (signal.kind === 'log') {
    const emitted =
      new RegExp(`log\\(\\s*'(?:error|warn|info)'\\s*,[^)]*'${signal.name}'|log\\(\\s*[a-zA-Z.?: ']+,\\s*'${signal.name}'`).test(source) ||
      source.includes(`'${signal.name}'`);
    if (!emitted) faults.push(`log:${signal.name} is not logged by apps/api/src`);
  } else {
    const job = /^job:(.+)$/.exec(signal.name)?.[1];
    const named = quoted(source, signal.name) || (job !== undefined && source.includes('`job:${job}`') && quoted(source, job));
    if (!named) faults.push(`/_status:${signal.name} is not a check apps/api/src makes`);
  }
  if (!quoted(tests, signal.name)) faults.push(`${signal.kind === 'log' ? 'log' : '/_status'}:${signal.name} appears in no test under apps/api`);
  return faults;
}

/** @internal Every file under a folder with one of these endings. */
function filesUnder(dir, keep) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const api = join(ROOT, 'apps/api');
  const isTest = (name) => name.endsWith('.test.ts');
  const source = filesUnder(join(api, 'src'), (name) => name.endsWith('.ts') && !isTest(name))
    .filter((file) => !file.includes('/test-support/'))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const tests = [...filesUnder(join(api, 'test'), isTest), ...filesUnder(join(api, 'src'), isTest), ...filesUnder(join(api, 'e2e'), isTest)]
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const signals = signalsIn(readFileSync(join(ROOT, 'docs/runbook.md'), 'utf8'));
  const faults = signals.flatMap((signal) => faultsOf(signal, { source, tests }));
  if (signals.length === 0) faults.push('docs/runbook.md names no signal');
  if (faults.length > 0) {
    process.stderr.write(`check-runbook: ${faults.length} fault(s)\n${faults.map((fault) => `  ${fault}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`check-runbook: ${signals.length} signals, each emitted by the code and covered by a test\n`);
}
