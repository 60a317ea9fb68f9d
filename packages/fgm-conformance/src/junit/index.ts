/**
 * A report as JUnit XML, for CI systems: one testsuite per channel, one
 * testcase per check named `[clause] title`, failures and skips as JUnit
 * writes them.
 */
import type { Report } from '../runner/index.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 cannot carry
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** @internal Text as XML attribute content. */
const escapeXml = (text: string) => text.replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);

/** The report as JUnit XML. */
export function toJUnit(report: Report): string {
  const suites = ['service', 'r4', 'legacy'].map((channel) => {
    const results = report.results.filter((result) => result.channel === channel);
    const cases = results.map((result) => {
      const open = `<testcase classname="fgm-is-conformance.${channel}" name="${escapeXml(`[${result.clause}] ${result.title}`)}" time="${(result.durationMs / 1000).toFixed(3)}"`;
      if (result.outcome === 'passed') return `${open}/>`;
      const inner =
        result.outcome === 'failed'
          ? `<failure message="${escapeXml(result.message ?? '')}"/>`
          : `<skipped message="${escapeXml(result.message ?? '')}"/>`;
      return `${open}>${inner}</testcase>`;
    });
    const failures = results.filter((result) => result.outcome === 'failed').length;
    const skipped = results.filter((result) => result.outcome === 'skipped').length;
    const time = (results.reduce((sum, result) => sum + result.durationMs, 0) / 1000).toFixed(3);
    return `  <testsuite name="fgm-is-conformance.${channel}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">\n    ${cases.join('\n    ')}\n  </testsuite>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="fgm-is-conformance" tests="${report.results.length}" failures="${report.failed}" errors="0" skipped="${report.skipped}" time="${(report.durationMs / 1000).toFixed(3)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
