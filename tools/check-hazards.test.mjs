/**
 * Tests of tools/check-hazards.mjs (run by `npm test` with `node --test`):
 * the command line against small fixture logs and vitest JSON reports in a
 * temporary folder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const CHECKER = join(dirname(fileURLToPath(import.meta.url)), 'check-hazards.mjs');

const LOG = `# Hazard log

## H-01 A flagged child not shown as flagged

| Control | Evidence |
|---|---|
| \`src/guard.ts\` → \`guard\` | \`src/guard.test.ts\` › \`[H-01] finds the flag\` |

## H-02 A flag shown for the wrong child

Controls: \`src/guard.ts\` → \`Ledger.remove\`.

## Risk matrix

Not a hazard: H-03 in prose is not a definition.
`;

/** A vitest JSON report of one file's tests: [describe titles, title, status]. */
function report(root, file, tests, extra = {}) {
  const failed = tests.filter(([, , status]) => status === 'failed').length;
  return {
    numTotalTests: tests.length,
    numFailedTests: failed,
    numFailedTestSuites: 0,
    success: failed === 0,
    testResults: [
      {
        name: join(root, file),
        status: failed ? 'failed' : 'passed',
        assertionResults: tests.map(([ancestorTitles, title, status]) => ({
          ancestorTitles,
          title,
          fullName: [...ancestorTitles, title].join(' '),
          status,
        })),
      },
    ],
    ...extra,
  };
}

const GOOD_TESTS = [
  [[], '[H-01] finds the flag', 'passed'],
  [['[H-02] the wrong child'], 'answers only about the child asked for', 'passed'],
  [[], 'an untagged test', 'passed'],
];

let root;

/** Writes the fixture: the log, the named sources, and reports (name → report, or undefined to leave it out). */
function fixture({
  log = LOG,
  reports = { 'unit.json': GOOD_TESTS },
  source = 'export function guard() {}\nexport class Ledger {\n  remove() {}\n}\n',
} = {}) {
  mkdirSync(join(root, 'docs'), { recursive: true });
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(join(root, 'reports'), { recursive: true });
  writeFileSync(join(root, 'docs/log.md'), log);
  writeFileSync(join(root, 'src/guard.ts'), source);
  writeFileSync(join(root, 'src/guard.test.ts'), '// the tests\n');
  for (const [name, tests] of Object.entries(reports)) {
    writeFileSync(join(root, 'reports', name), JSON.stringify(Array.isArray(tests) ? report(root, 'src/guard.test.ts', tests) : tests));
  }
}

function check(...extra) {
  const result = spawnSync(process.execPath, [CHECKER, '--root', root, '--log', 'docs/log.md', '--report', 'reports/unit.json', ...extra], {
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('check-hazards', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'check-hazards-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes when every hazard has a passing test, every id is known and every named control exists', () => {
    fixture();
    const { status, output } = check();
    assert.equal(status, 0, output);
    assert.match(output, /H-01 +1 passing tests/);
    assert.match(output, /H-02 +1 passing tests/);
    assert.doesNotMatch(output, /H-03/);
  });

  it('fails when a hazard has no passing test carrying its id (none at all, or only a failing one)', () => {
    fixture({ reports: { 'unit.json': GOOD_TESTS.filter(([describe]) => describe.length === 0) } });
    const none = check();
    assert.equal(none.status, 1, none.output);
    assert.match(none.output, /H-02 A flag shown for the wrong child: no passing test carries \[H-02\]/);

    fixture({ reports: { 'unit.json': [GOOD_TESTS[0], [['[H-02] the wrong child'], 'answers only about the child asked for', 'failed']] } });
    const failing = check();
    assert.equal(failing.status, 1, failing.output);
    assert.match(failing.output, /no passing test carries \[H-02\] \(1 carry it, none passed: failed\)/);
  });

  it('fails when a test names a hazard id the log does not define', () => {
    fixture({ reports: { 'unit.json': [...GOOD_TESTS, [[], '[H-03] [H-01] a hazard nobody logged', 'passed']] } });
    const { status, output } = check();
    assert.equal(status, 1, output);
    assert.match(output, /src\/guard\.test\.ts › \[H-03\] \[H-01\] a hazard nobody logged: names H-03, which the hazard log does not define/);
  });

  it('fails when a report is missing, unreadable or records failures; an optional report may be absent', () => {
    fixture({ reports: {} });
    const missing = check();
    assert.equal(missing.status, 1, missing.output);
    assert.match(missing.output, /the test report reports\/unit\.json is missing/);

    fixture({ reports: { 'unit.json': { not: 'a vitest report' } } });
    assert.match(check().output, /is not a vitest JSON report/);

    fixture({ reports: { 'unit.json': report(root, 'src/guard.test.ts', GOOD_TESTS, { numFailedTestSuites: 1, success: false }) } });
    const failedSuite = check();
    assert.equal(failedSuite.status, 1, failedSuite.output);
    assert.match(failedSuite.output, /records 0 failed tests and 1 failed suites/);

    fixture();
    const optional = check('--optional-report', 'reports/e2e.json');
    assert.equal(optional.status, 0, optional.output);
    assert.match(optional.output, /not present: reports\/e2e\.json/);
  });

  it('fails when a cited test is missing, did not pass or does not carry the hazard it is cited under', () => {
    fixture({ reports: { 'unit.json': [[[], 'finds the flag', 'passed'], ...GOOD_TESTS.slice(1), [[], '[H-01] another', 'passed']] } });
    const untagged = check();
    assert.equal(untagged.status, 1, untagged.output);
    assert.match(untagged.output, /H-01 cites src\/guard\.test\.ts › \[H-01\] finds the flag: no such test in the reports/);

    fixture({ log: LOG.replace('`src/guard.test.ts` › `[H-01] finds the flag`', '`src/guard.test.ts` › `an untagged test`') });
    const wrongHazard = check();
    assert.equal(wrongHazard.status, 1, wrongHazard.output);
    assert.match(wrongHazard.output, /H-01 cites src\/guard\.test\.ts › an untagged test: the test does not carry \[H-01\]/);
  });

  it('fails when a control the log names is no longer exported, or a path it names is gone', () => {
    fixture({ source: 'export function guardRenamed() {}\nexport class Ledger {}\n' });
    const { status, output } = check();
    assert.equal(status, 1, output);
    assert.match(output, /names the control src\/guard\.ts → guard, but src\/guard\.ts does not export it/);
    assert.match(output, /names the control src\/guard\.ts → Ledger\.remove, but src\/guard\.ts does not export it/);

    fixture({ log: `${LOG}\nSee \`docs/gone.md\`.\n` });
    const gone = check();
    assert.equal(gone.status, 1, gone.output);
    assert.match(gone.output, /the hazard log names docs\/gone\.md, which does not exist/);
  });
});
