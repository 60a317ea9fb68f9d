import { describe, expect, it } from 'vitest';
import type { Report } from '../runner/index.ts';
import { toJUnit } from './index.ts';

const report: Report = {
  baseUrl: 'http://127.0.0.1:8787',
  startedAt: '2026-12-07T00:00:00.000Z',
  durationMs: 1234,
  passed: 1,
  failed: 1,
  skipped: 1,
  results: [
    { id: 'D-22-ping', clause: 'D-22', channel: 'service', title: 'ping', outcome: 'passed', durationMs: 5 },
    {
      id: 'A4-over-18',
      clause: '§8 A4',
      channel: 'r4',
      title: 'add for a patient aged 18 or over',
      outcome: 'failed',
      message: 'expected HTTP 400, got 201 <&"\u0001>',
      durationMs: 20,
    },
    {
      id: 'INVALID_TOKEN-expired',
      clause: 'D-5, D-17',
      channel: 'r4',
      title: 'expired',
      outcome: 'skipped',
      message: 'needs minted tokens',
      durationMs: 0,
    },
  ],
};

describe('toJUnit', () => {
  it('one suite per channel, one case per check named [clause] title, failures and skips as JUnit writes them', () => {
    const xml = toJUnit(report);
    expect(xml).toContain('<testsuites name="fgm-is-conformance" tests="3" failures="1" errors="0" skipped="1" time="1.234">');
    expect(xml).toContain('<testsuite name="fgm-is-conformance.r4" tests="2" failures="1" errors="0" skipped="1" time="0.020">');
    expect(xml).toContain('<testcase classname="fgm-is-conformance.service" name="[D-22] ping" time="0.005"/>');
    expect(xml).toContain(
      'name="[§8 A4] add for a patient aged 18 or over" time="0.020"><failure message="expected HTTP 400, got 201 &lt;&amp;&quot;\ufffd&gt;"/></testcase>',
    );
    expect(xml).toContain('<skipped message="needs minted tokens"/>');
    expect(xml).toContain('<testsuite name="fgm-is-conformance.legacy" tests="0" failures="0"');
  });
});
