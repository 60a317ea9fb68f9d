/**
 * A supplier using @fgm-is/conformance from code, installed from its
 * tarball (tools/check-package.mjs): type-checked under nodenext and
 * bundler, run in plain Node, bundled for the browser. No server is
 * needed: a stand-in fetch answers 503 to everything, so every check fails
 * and the report says so.
 */
import { type Report, listChecks, runConformance, toJUnit } from '@fgm-is/conformance';

const checks = listChecks();
if (checks.length < 80) throw new Error(`only ${checks.length} checks`);
const report: Report = await runConformance({
  baseUrl: 'https://fgm-is.example',
  fetch: async () => new Response('down', { status: 503 }),
  filter: (id) => id.startsWith('S1-'),
});
if (report.failed !== report.results.length || report.results.length === 0) throw new Error(`unexpected: ${JSON.stringify(report)}`);
if (!toJUnit(report).includes(`failures="${report.failed}"`)) throw new Error('JUnit does not count the failures');
console.info(`@fgm-is/conformance imports and runs: ${checks.length} checks, ${report.failed} failed against a server that is down`);
