/**
 * The clinical safety case's evidence check (docs/clinical-safety/), run by
 * `npm test` after the test suites. It reads the hazard log and the vitest
 * JSON reports the suites write (reports/vitest/) and fails when:
 *
 * - a required report is missing, unreadable or records failed tests;
 * - a hazard of the log (a heading `## H-nn …`) has no passing test carrying
 *   its id, `[H-nn]`, in the test's name or in the name of a describe around it;
 * - a test names a hazard id that the log does not define;
 * - a test the log cites as evidence (`file.test.ts` › `title`) is not a
 *   passing test in the reports, or does not carry the id of the hazard it
 *   is cited under;
 * - a control the log names (`path/to/file.ts` → `exportName`) or a path it
 *   names no longer exists.
 *
 * Usage: node tools/check-hazards.mjs [--root DIR] [--log FILE] [--report FILE]… [--optional-report FILE]…
 * Without --report, the reports of `npm test` are required (rules and API) and
 * the end-to-end suite's is read when present. Exit 0 when the evidence holds, 1 otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_LOG = 'docs/clinical-safety/hazard-log.md';
const DEFAULT_REPORTS = ['reports/vitest/fgm-rules.json', 'reports/vitest/api.json'];
const DEFAULT_OPTIONAL_REPORTS = ['reports/vitest/api-e2e.json'];

/** A hazard id as tests carry it: `[H-01]`. */
const TEST_TAG = /\[(H-\d+)\]/g;
/** A hazard heading of the log: `## H-01 A flagged child not shown as flagged`. */
const HAZARD_HEADING = /^(#{2,6})\s+(H-\d+)\b\s*(.*)$/;
const ANY_HEADING = /^(#{1,6})\s/;
/** A cited test: `apps/api/test/search.test.ts` › `[H-03] never returns …`. */
const CITED_TEST = /`([^`\s]+\.test\.[cm]?[jt]s)`\s*›\s*`([^`]+)`/g;
/** A named control: `apps/api/src/register/patient-ledger.ts` → `PatientLedger` (or `PatientLedger.reproject`). */
const NAMED_CONTROL = /`([^`\s]+\.(?:[cm]?[jt]s|tsx?))`\s*→\s*`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)`/g;
/** Any repository path the log names in backticks. */
const REPO_PATH = /`((?:apps|packages|tools|docs|bench|\.ci)\/[^`\s]+)`/g;

/** Hazards of the log, in order, each with the text of its section. */
export function parseHazardLog(text) {
  const hazards = [];
  let current;
  for (const line of text.split(/\r?\n/)) {
    const hazard = HAZARD_HEADING.exec(line);
    const heading = ANY_HEADING.exec(line);
    if (hazard) {
      current = { id: hazard[2], title: hazard[3].trim(), level: hazard[1].length, text: '' };
      hazards.push(current);
      continue;
    }
    if (heading && current && heading[1].length <= current.level) current = undefined;
    if (current) current.text += `${line}\n`;
  }
  return hazards;
}

/** The tests of one vitest JSON report, each with its file (relative to root), names and the hazard ids it carries. */
function testsOf(report, root) {
  const tests = [];
  for (const file of report.testResults ?? []) {
    const path = (isAbsolute(file.name) ? relative(root, file.name) : file.name).split(sep).join('/');
    for (const test of file.assertionResults ?? []) {
      const names = [...(test.ancestorTitles ?? []), test.title ?? ''];
      const ids = new Set(names.flatMap((name) => [...name.matchAll(TEST_TAG)].map((match) => match[1])));
      tests.push({ file: path, title: test.title ?? '', name: names.join(' › '), status: test.status, ids });
    }
  }
  return tests;
}

/** @internal Whether `text` (a source file) exports `name`, and has `member` when given as `Name.member`. */
function exportsName(text, qualified) {
  const [name, member] = qualified.split('.');
  const declared = new RegExp(
    `export\\s+(?:declare\\s+)?(?:default\\s+)?(?:abstract\\s+)?(?:async\\s+)?(?:function\\*?|class|const|let|var|interface|type|enum)\\s+${name}\\b`,
  );
  const listed = new RegExp(`export\\s*(?:type\\s*)?\\{[^}]*\\b${name}\\b[^}]*\\}`);
  if (!declared.test(text) && !listed.test(text)) return false;
  return member === undefined || new RegExp(`\\b${member}\\s*[(<]`).test(text);
}

/**
 * Checks the evidence. Returns the errors (each fails the check), warnings
 * and a per-hazard summary; reads only the files it is given.
 */
export function checkHazards({ root = REPO_ROOT, log = DEFAULT_LOG, reports = DEFAULT_REPORTS, optionalReports = DEFAULT_OPTIONAL_REPORTS } = {}) {
  const errors = [];
  const warnings = [];
  const logPath = resolve(root, log);
  if (!existsSync(logPath)) return { errors: [`the hazard log ${log} is missing`], warnings, summary: [] };
  const logText = readFileSync(logPath, 'utf8');
  const hazards = parseHazardLog(logText);
  if (hazards.length === 0) errors.push(`the hazard log ${log} defines no hazard (no heading "## H-nn …")`);
  const known = new Set();
  for (const hazard of hazards) {
    if (known.has(hazard.id)) errors.push(`the hazard log defines ${hazard.id} twice`);
    known.add(hazard.id);
  }

  const tests = [];
  const read = [];
  const missingOptional = [];
  for (const [path, required] of [...reports.map((p) => [p, true]), ...optionalReports.map((p) => [p, false])]) {
    const full = resolve(root, path);
    if (!existsSync(full)) {
      if (required) errors.push(`the test report ${path} is missing: run the test suites first (npm test writes it)`);
      else missingOptional.push(path);
      continue;
    }
    let report;
    try {
      report = JSON.parse(readFileSync(full, 'utf8'));
    } catch (error) {
      errors.push(`the test report ${path} is not readable JSON: ${error.message}`);
      continue;
    }
    if (!Array.isArray(report?.testResults)) {
      errors.push(`the test report ${path} is not a vitest JSON report (no testResults)`);
      continue;
    }
    const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
    if (failed > 0 || report.success === false) {
      const message = `the test report ${path} records ${report.numFailedTests ?? 0} failed tests and ${report.numFailedTestSuites ?? 0} failed suites`;
      if (required) errors.push(message);
      else warnings.push(`${message}; only its passing tests count`);
    }
    const found = testsOf(report, root);
    tests.push(...found);
    read.push({ path, tests: found.length });
  }

  // Every id a test carries is a hazard of the log.
  const unknown = new Map();
  for (const test of tests) {
    for (const id of test.ids) if (!known.has(id)) unknown.set(`${id}\u0000${test.file}\u0000${test.name}`, { id, test });
  }
  for (const { id, test } of unknown.values()) errors.push(`${test.file} › ${test.name}: names ${id}, which the hazard log does not define`);

  // Every hazard has a passing test carrying its id.
  const summary = hazards.map((hazard) => {
    const carrying = tests.filter((test) => test.ids.has(hazard.id));
    const passing = carrying.filter((test) => test.status === 'passed');
    if (passing.length === 0) {
      const others =
        carrying.length > 0 ? ` (${carrying.length} carry it, none passed: ${[...new Set(carrying.map((t) => t.status))].join(', ')})` : '';
      errors.push(`${hazard.id} ${hazard.title}: no passing test carries [${hazard.id}]${others}`);
    }
    return { id: hazard.id, title: hazard.title, passing: passing.length, files: new Set(passing.map((t) => t.file)).size };
  });

  // Every test the log cites is a passing test carrying the id of the hazard it is cited under.
  const filesInReports = new Set(tests.map((test) => test.file));
  for (const hazard of hazards) {
    for (const [, file, title] of hazard.text.matchAll(CITED_TEST)) {
      if (!existsSync(resolve(root, file))) {
        errors.push(`${hazard.id} cites ${file}, which does not exist`);
        continue;
      }
      if (!filesInReports.has(file)) {
        if (missingOptional.length > 0)
          warnings.push(`${hazard.id} cites ${file} › ${title}: not verified, the file is in no report read (${missingOptional.join(', ')} absent)`);
        else errors.push(`${hazard.id} cites ${file} › ${title}, but no report holds that file`);
        continue;
      }
      const matches = tests.filter((test) => test.file === file && test.title === title);
      if (matches.length === 0) errors.push(`${hazard.id} cites ${file} › ${title}: no such test in the reports`);
      else if (!matches.some((test) => test.status === 'passed')) errors.push(`${hazard.id} cites ${file} › ${title}: it did not pass`);
      else if (!matches.some((test) => test.ids.has(hazard.id)))
        errors.push(`${hazard.id} cites ${file} › ${title}: the test does not carry [${hazard.id}]`);
    }
  }

  // Every control and path the log names still exists.
  const sources = new Map();
  const source = (path) => {
    if (!sources.has(path)) sources.set(path, existsSync(resolve(root, path)) ? readFileSync(resolve(root, path), 'utf8') : undefined);
    return sources.get(path);
  };
  for (const [, path, name] of logText.matchAll(NAMED_CONTROL)) {
    const text = source(path);
    if (text === undefined) errors.push(`the hazard log names the control ${path} → ${name}, but ${path} does not exist`);
    else if (!exportsName(text, name)) errors.push(`the hazard log names the control ${path} → ${name}, but ${path} does not export it`);
  }
  for (const [, path] of logText.matchAll(REPO_PATH)) {
    if (!existsSync(resolve(root, path.replace(/[.,;:]+$/, '')))) errors.push(`the hazard log names ${path}, which does not exist`);
  }

  return { errors: [...new Set(errors)], warnings: [...new Set(warnings)], summary, read, missingOptional };
}

/** @internal The command line: options → {@link checkHazards} → report and exit code. */
function main(argv) {
  const options = { reports: [], optionalReports: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!['--root', '--log', '--report', '--optional-report'].includes(flag) || value === undefined) {
      console.error(
        `check-hazards: unknown or incomplete option ${flag}\nusage: node tools/check-hazards.mjs [--root DIR] [--log FILE] [--report FILE]… [--optional-report FILE]…`,
      );
      return 1;
    }
    i++;
    if (flag === '--root') options.root = resolve(value);
    else if (flag === '--log') options.log = value;
    else if (flag === '--report') options.reports.push(value);
    else options.optionalReports.push(value);
  }
  if (options.reports.length === 0) {
    options.reports = DEFAULT_REPORTS;
    if (options.optionalReports.length === 0) options.optionalReports = DEFAULT_OPTIONAL_REPORTS;
  }
  const { errors, warnings, summary, read = [], missingOptional = [] } = checkHazards(options);
  const reportsLine = read.map((r) => `${r.path} (${r.tests} tests)`).join(', ');
  console.info(
    `check-hazards: ${options.log ?? DEFAULT_LOG} against ${reportsLine || 'no report'}${missingOptional.length ? `; not present: ${missingOptional.join(', ')}` : ''}`,
  );
  for (const row of summary)
    console.info(`  ${row.id}  ${String(row.passing).padStart(4)} passing tests in ${String(row.files).padStart(2)} files  ${row.title}`);
  for (const warning of warnings) console.info(`check-hazards: warning: ${warning}`);
  if (errors.length > 0) {
    console.error(`check-hazards: FAILED, ${errors.length} problem${errors.length === 1 ? '' : 's'}:`);
    for (const error of errors) console.error(`  - ${error}`);
    return 1;
  }
  console.info(`check-hazards: every hazard (${summary.length}) has passing tests; every tagged test names a hazard of the log`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
