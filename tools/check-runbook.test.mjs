import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultsOf, signalsIn } from './check-runbook.mjs';

describe('check-runbook', () => {
  it('finds the signals a runbook names, once each', () => {
    const text = 'Watch `/_status:kv:flags` and `log:dependency_unavailable`; again `log:dependency_unavailable`. Not `kv:flags` alone.';
    assert.deepEqual(signalsIn(text), [
      { kind: 'status', name: 'kv:flags' },
      { kind: 'log', name: 'dependency_unavailable' },
    ]);
  });

  const source = "log('error', 'ledger_refused', {});\nname: 'kv:flags',\nname: `job:${job}`,\nconst jobs = ['age-out'];";
  const tests = "expect(event).toBe('ledger_refused');\nchecks['kv:flags'];\n'job:age-out';";
  for (const [name, signal, context, expected] of [
    ['an emitted, tested log event holds', { kind: 'log', name: 'ledger_refused' }, { source, tests }, []],
    ['a status check named in the code and a test holds', { kind: 'status', name: 'kv:flags' }, { source, tests }, []],
    ['a job check made from its name holds', { kind: 'status', name: 'job:age-out' }, { source, tests }, []],
    ['a log event nobody logs', { kind: 'log', name: 'made_up' }, { source, tests: "'made_up'" }, ['log:made_up is not logged by apps/api/src']],
    [
      'a log event no test shows',
      { kind: 'log', name: 'ledger_refused' },
      { source, tests: '' },
      ['log:ledger_refused appears in no test under apps/api'],
    ],
    [
      'a check the code does not make',
      { kind: 'status', name: 'r2:archive' },
      { source, tests: "'r2:archive'" },
      ['/_status:r2:archive is not a check apps/api/src makes'],
    ],
  ]) {
    it(name, () => assert.deepEqual(faultsOf(signal, context), expected));
  }
});
