import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isCalendarDate } from '../calendar/index.ts';
import { type ErrorKey, catalogue } from '../catalogue/index.ts';
import { FgmFlagSchema } from '../fhir/index.ts';
import type { PatientDemographics } from '../patient/index.ts';
import { AddBodySchema } from '../request-schemas/index.ts';
import { FLAG_ID, NOW, TODAY, activeRecord, validAddBody, validRemoveBody } from '../test-support/fixtures.ts';
import { decideAdd, validateAddBody } from './index.ts';

const change = (edit: (body: Record<string, unknown>) => void) => {
  const body = validAddBody();
  edit(body);
  return body;
};
const expectError = (result: ReturnType<typeof validateAddBody>, key: ErrorKey) => expect(result).toEqual({ ok: false, error: catalogue[key] });

describe('validateAddBody (D-6)', () => {
  it('accepts a valid Flag', () => {
    expect(validateAddBody(validAddBody(), TODAY)).toEqual({ ok: true, value: { nhsNumber: '9000000017', assessmentDate: '2019-12-10' } });
  });

  it('accepts an assessment dated today (Europe/London) and extra elements it will drop', () => {
    const body = change((b) => {
      b.period = { start: TODAY };
      b.meta = { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Flag'] };
      b.category = [{ text: 'x' }];
    });
    expect(validateAddBody(body, TODAY).ok).toBe(true);
  });

  it('A2 is met by any one matching coding among several', () => {
    const body = change((b) => {
      b.code = {
        coding: [
          { system: 'http://example.org', code: 'x' },
          { system: 'http://snomed.info/sct', code: '902961000000107' },
        ],
      };
    });
    expect(validateAddBody(body, TODAY).ok).toBe(true);
  });

  it.each<[string, unknown, ErrorKey]>([
    ['not an object', [validAddBody()], 'INVALID_BODY'],
    ['null', null, 'INVALID_BODY'],
    ['a string', 'Flag', 'INVALID_BODY'],
    ['another resource type', { ...validAddBody(), resourceType: 'Patient' }, 'INVALID_BODY'],
    ['no resource type', change((b) => delete b.resourceType), 'INVALID_BODY'],
    ['an id', change((b) => (b.id = 'x')), 'ID_ON_CREATE'],
    ['a null id', change((b) => (b.id = null)), 'ID_ON_CREATE'],
    ['no subject', change((b) => delete b.subject), 'A1'],
    ['a subject reference only', change((b) => (b.subject = { reference: 'Patient/9000000017' })), 'A1'],
    [
      'a wrong identifier system',
      change((b) => (b.subject = { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number-x', value: '9000000017' } })),
      'A1',
    ],
    [
      'an invalid NHS number',
      change((b) => (b.subject = { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '1234567890' } })),
      'A1',
    ],
    ['a numeric NHS number', change((b) => (b.subject = { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: 9000000017 } })), 'A1'],
    ['no code', change((b) => delete b.code), 'A2'],
    ['a wrong code', change((b) => (b.code = { coding: [{ system: 'http://snomed.info/sct', code: '902961000000108' }] })), 'A2'],
    ['the code in text only', change((b) => (b.code = { text: '902961000000107' })), 'A2'],
    ['no status', change((b) => delete b.status), 'A3'],
    ['status inactive', change((b) => (b.status = 'inactive')), 'A3'],
    ['status Active', change((b) => (b.status = 'Active')), 'A3'],
    ['a removal extension (canonical)', change((b) => (b.extension = validRemoveBody().extension)), 'A7'],
    [
      'a removal extension (guide form)',
      change((b) => (b.extension = [{ url: 'https://fhir.nhs.uk/StructureDefinition/Extension-England-FGMRemovalReason' }])),
      'A7',
    ],
    ['no period', change((b) => delete b.period), 'INVALID_ASSESSMENT_DATE'],
    ['period without start', change((b) => (b.period = {})), 'INVALID_ASSESSMENT_DATE'],
    ['a date-time', change((b) => (b.period = { start: '2019-12-10T10:00:00Z' })), 'INVALID_ASSESSMENT_DATE'],
    ['31 April', change((b) => (b.period = { start: '2019-04-31' })), 'INVALID_ASSESSMENT_DATE'],
    ['tomorrow', change((b) => (b.period = { start: '2026-11-22' })), 'INVALID_ASSESSMENT_DATE'],
  ])('%s → %s', (_name, body, key) => {
    expectError(validateAddBody(body, TODAY), key);
  });

  it.each([
    '2019-12-10T10:00:00+00:00',
    '2019-12-10T99:99:99+99:99',
    '2019-12-10T24:00:00Z',
    '2019-12-10T10:00:00',
    '2019-12-10T10:00+01:00',
    '2019-12',
    '2019-12-10 ',
  ])('[H-08] R4 takes a date only: period.start %j → INVALID_ASSESSMENT_DATE (D-6)', (start) => {
    expectError(
      validateAddBody(
        change((b) => (b.period = { start })),
        TODAY,
      ),
      'INVALID_ASSESSMENT_DATE',
    );
  });

  it('[H-08] property: period.start is taken exactly when it is a calendar date YYYY-MM-DD not after today (D-6), as before', () => {
    const dateLike = fc
      .tuple(
        fc.integer({ min: 0, max: 2100 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.constantFrom('', 'T10:00:00Z', 'T99:99:99+99:99'),
      )
      .map(([y, m, d, time]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${time}`);
    fc.assert(
      fc.property(fc.oneof(dateLike, fc.string(), fc.anything()), (start) => {
        const result = validateAddBody(
          change((b) => (b.period = { start })),
          TODAY,
        );
        if (isCalendarDate(start) && start <= TODAY) expect(result).toEqual({ ok: true, value: { nhsNumber: '9000000017', assessmentDate: start } });
        else expectError(result, 'INVALID_ASSESSMENT_DATE');
      }),
      { numRuns: 2000 },
    );
  });

  it('reports only the first failure in the order of D-6', () => {
    const everythingWrong = { resourceType: 'Flag', id: 'x', status: 'inactive', code: {}, subject: {}, extension: validRemoveBody().extension };
    expectError(validateAddBody(everythingWrong, TODAY), 'ID_ON_CREATE');
    const { id: _id, ...noId } = everythingWrong;
    expectError(validateAddBody(noId, TODAY), 'A1');
    expectError(validateAddBody({ ...noId, subject: validAddBody().subject }, TODAY), 'A2');
    expectError(validateAddBody({ ...noId, subject: validAddBody().subject, code: validAddBody().code }, TODAY), 'A3');
    expectError(validateAddBody({ ...noId, subject: validAddBody().subject, code: validAddBody().code, status: 'active' }, TODAY), 'A7');
  });
});

describe('decideAdd (D-6, D-7, D-19)', () => {
  const request = { nhsNumber: '9000000017', assessmentDate: '2024-05-01' };
  const decide = (patient: PatientDemographics | null, activeFlag: ReturnType<typeof activeRecord> | null = null, today = TODAY) =>
    decideAdd({ request, patient, activeFlag, today, id: FLAG_ID, now: NOW });

  it('accepts a girl under 18 and builds version 1 with only the FGM-IS items', () => {
    const result = decide({ birthDate: '2012-03-15', gender: 'female' });
    expect(result).toEqual({
      ok: true,
      value: {
        nhsNumber: '9000000017',
        agesOutOn: '2030-03-15',
        flag: {
          resourceType: 'Flag',
          id: FLAG_ID,
          meta: { versionId: '1', lastUpdated: NOW },
          status: 'active',
          code: {
            coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }],
            text: 'Family history of FGM (female genital mutilation)',
          },
          subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000017' } },
          period: { start: '2024-05-01' },
        },
      },
    });
    if (result.ok) expect(v.is(FgmFlagSchema, result.value.flag)).toBe(true);
  });

  it.each<[string, string, PatientDemographics, ErrorKey | 'ok']>([
    ['the day before the birth', '2012-03-14', { birthDate: '2012-03-15', gender: 'female' }, 'INVALID_ASSESSMENT_DATE'],
    ['the day of the birth', '2012-03-15', { birthDate: '2012-03-15', gender: 'female' }, 'ok'],
    [
      'before the birth, for a patient also over 18 (D-19 comes before A4)',
      '1989-01-01',
      { birthDate: '1990-07-04', gender: 'female' },
      'INVALID_ASSESSMENT_DATE',
    ],
    [
      'before the birth of a male patient (D-19 comes before A5)',
      '2013-01-01',
      { birthDate: '2014-01-20', gender: 'male' },
      'INVALID_ASSESSMENT_DATE',
    ],
    ['when the directory has no birth date (A4 decides)', '2000-01-01', { gender: 'female' }, 'A4'],
    ['when the directory has only a birth year (A4 decides)', '2000-01-01', { birthDate: '2012', gender: 'female' }, 'A4'],
  ])('[H-08] an assessment dated %s (D-19) → %s', (_name, assessmentDate, patient, expected) => {
    const result = decideAdd({ request: { ...request, assessmentDate }, patient, activeFlag: null, today: TODAY, id: FLAG_ID, now: NOW });
    if (expected === 'ok') expect(result.ok).toBe(true);
    else expect(result).toEqual({ ok: false, error: catalogue[expected] });
  });

  it.each<[string, PatientDemographics | null, ErrorKey | 'ok']>([
    ['unknown to the directory', null, 'A1'],
    ['18 today', { birthDate: '2008-11-21', gender: 'female' }, 'A4'],
    ['18 tomorrow', { birthDate: '2008-11-22', gender: 'female' }, 'ok'],
    ['an adult', { birthDate: '1990-07-04', gender: 'female' }, 'A4'],
    ['no birth date', { gender: 'female' }, 'A4'],
    ['male', { birthDate: '2014-01-20', gender: 'male' }, 'A5'],
    ['male and over 18 (age first)', { birthDate: '1990-01-20', gender: 'male' }, 'A4'],
    ['gender unknown', { birthDate: '2016-11-30', gender: 'unknown' }, 'ok'],
    ['gender other (PDS indeterminate)', { birthDate: '2019-02-28', gender: 'other' }, 'ok'],
    ['no gender', { birthDate: '2020-01-01' }, 'ok'],
  ])('[H-03] a patient %s → %s', (_name, patient, expected) => {
    const result = decide(patient);
    if (expected === 'ok') expect(result.ok).toBe(true);
    else expect(result).toEqual({ ok: false, error: catalogue[expected] });
  });

  it('[H-05] A6 when the patient already has a current active flag', () => {
    expect(decide({ birthDate: '2015-06-01', gender: 'female' }, activeRecord())).toEqual({ ok: false, error: catalogue.A6 });
  });

  it('a removed flag does not block a new one', () => {
    expect(decide({ birthDate: '2015-06-01', gender: 'female' }, activeRecord({ status: 'inactive' })).ok).toBe(true);
  });

  it('[H-03] a 29 February baby ages out on 1 March', () => {
    const result = decide({ birthDate: '2020-02-29', gender: 'female' });
    expect(result.ok && result.value.agesOutOn).toBe('2038-03-01');
  });
});

describe('AddBodySchema (the constraints validateAddBody checks, as one schema for documentation)', () => {
  const edits: [string, (body: Record<string, unknown>) => void][] = [
    ['as sent', () => {}],
    ['an NHS number failing Modulus 11', (b) => ((b.subject as { identifier: { value: string } }).identifier.value = '9000000001')],
    ['another identifier system', (b) => ((b.subject as { identifier: { system: string } }).identifier.system = 'https://example.org')],
    ['no FGM coding', (b) => ((b.code as { coding: unknown[] }).coding = [{ system: 'http://snomed.info/sct', code: '1' }])],
    ['status inactive', (b) => void (b.status = 'inactive')],
    ['a date with a time', (b) => ((b.period as { start: string }).start = '2024-05-01T10:00:00Z')],
    ['no period', (b) => void delete b.period],
  ];
  it.each(edits)('[H-08] %s: the schema and validateAddBody agree (a date far enough back, no id or reason)', (_name, edit) => {
    const body = change(edit);
    expect(v.is(AddBodySchema, body)).toBe(validateAddBody(body, TODAY).ok);
  });

  it('[H-08] whatever the body, a body validateAddBody accepts satisfies the schema', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom(...edits.map(([, edit]) => edit)), (noise, edit) => {
        const body = change(edit);
        body.note = noise;
        if (validateAddBody(body, TODAY).ok) expect(v.is(AddBodySchema, body)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
