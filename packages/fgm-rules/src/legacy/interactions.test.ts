import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { el, parameters, v } from '../test-support/fixtures.ts';
import { legacyRemoval, parseLegacyCreate, parseLegacyDelete, parseLegacyQuery } from './interactions.ts';
import type { XmlElement } from './message.ts';

const TODAY = '2026-11-21';
const refusal = (result: { ok: boolean; error?: { code: string; diagnostics: string } }) =>
  result.ok ? 'ok' : `${result.error?.code}: ${result.error?.diagnostics}`;
const reason = (code: string, system = 'http://fhir.nhs.net/ValueSet/fgm-delete-reason-codes-1-0') =>
  el('parameter', {}, [v('name', 'FGMDeleteReason'), el('valueCodeableConcept', {}, [el('coding', {}, [v('system', system), v('code', code)])])]);

describe('parseLegacyQuery (L-5, L-11.1)', () => {
  it('reads the NHS number and ignores unknown parameters', () => {
    expect(
      parseLegacyQuery(
        parameters([
          ['RiskIndicator', 'FGM'],
          ['Other', 'x'],
          ['NHSNumber', '9000000009'],
        ]),
      ),
    ).toEqual({
      ok: true,
      value: { nhsNumber: '9000000009' },
    });
  });

  it.each<[string, XmlElement, string]>([
    ['no RiskIndicator', parameters([['NHSNumber', '9000000009']]), 'INVALID_PARAMETER: RiskIndicator parameter missing'],
    [
      'two RiskIndicators',
      parameters([
        ['RiskIndicator', 'FGM'],
        ['RiskIndicator', 'FGM'],
        ['NHSNumber', '9000000009'],
      ]),
      'INVALID_PARAMETER: RiskIndicator parameter given more than once',
    ],
    [
      'another risk',
      parameters([
        ['RiskIndicator', 'CP-IS'],
        ['NHSNumber', '9000000009'],
      ]),
      'INVALID_PARAMETER: RiskIndicator must be FGM',
    ],
    ['no NHSNumber', parameters([['RiskIndicator', 'FGM']]), 'INVALID_PARAMETER: NHSNumber parameter missing'],
    [
      'two NHSNumbers',
      parameters([
        ['RiskIndicator', 'FGM'],
        ['NHSNumber', '9000000009'],
        ['NHSNumber', '9000000017'],
      ]),
      'INVALID_PARAMETER: NHSNumber parameter given more than once',
    ],
    [
      'an NHSNumber without valueString',
      parameters([['RiskIndicator', 'FGM']], [el('parameter', {}, [v('name', 'NHSNumber'), v('valueIdentifier', '9000000009')])]),
      'INVALID_PARAMETER: NHSNumber parameter must have a valueString',
    ],
    [
      'an invalid NHS number',
      parameters([
        ['RiskIndicator', 'FGM'],
        ['NHSNumber', '1234567890'],
      ]),
      'INVALID_NHS_NUMBER: NHSNumber is not a valid NHS number',
    ],
    [
      'a wrong risk and an invalid number (order)',
      parameters([
        ['RiskIndicator', 'X'],
        ['NHSNumber', '1'],
      ]),
      'INVALID_PARAMETER: RiskIndicator must be FGM',
    ],
  ])('refuses %s', (_name, params, expected) => {
    expect(refusal(parseLegacyQuery(params))).toBe(expected);
  });
});

describe('parseLegacyDelete (L-7, L-11.1)', () => {
  const base = (...extra: XmlElement[]) =>
    parameters(
      [
        ['RiskIndicator', 'FGM'],
        ['NHSNumber', '9000000009'],
      ],
      extra,
    );

  it.each(['0', '2'] as const)('accepts reason %s', (code) => {
    expect(parseLegacyDelete(base(reason(code)))).toEqual({ ok: true, value: { nhsNumber: '9000000009', reason: code } });
  });

  it.each<[string, XmlElement, string]>([
    [
      'reason 1 (a family history does not lapse)',
      base(reason('1')),
      'INVALID_PARAMETER: FGMDeleteReason 1 is not accepted: a family history of FGM does not lapse; use 0 or 2',
    ],
    ['an unknown code', base(reason('3')), 'INVALID_PARAMETER: FGMDeleteReason code must be 0, 1 or 2'],
    [
      'another system',
      base(reason('0', 'http://example.org')),
      'INVALID_PARAMETER: FGMDeleteReason coding system must be http://fhir.nhs.net/ValueSet/fgm-delete-reason-codes-1-0',
    ],
    ['no reason', base(), 'INVALID_PARAMETER: FGMDeleteReason parameter missing'],
    ['two reasons', base(reason('0'), reason('2')), 'INVALID_PARAMETER: FGMDeleteReason parameter given more than once'],
    [
      'two codings',
      base(
        el('parameter', {}, [
          v('name', 'FGMDeleteReason'),
          el('valueCodeableConcept', {}, [
            el('coding', {}, [v('system', 'http://fhir.nhs.net/ValueSet/fgm-delete-reason-codes-1-0'), v('code', '0')]),
            el('coding', {}, [v('system', 'http://fhir.nhs.net/ValueSet/fgm-delete-reason-codes-1-0'), v('code', '2')]),
          ]),
        ]),
      ),
      'INVALID_PARAMETER: FGMDeleteReason must be a valueCodeableConcept with exactly one coding',
    ],
    [
      'an invalid NHS number before reason 1 (order)',
      parameters(
        [
          ['RiskIndicator', 'FGM'],
          ['NHSNumber', '9000000000'],
        ],
        [reason('1')],
      ),
      'INVALID_NHS_NUMBER: NHSNumber is not a valid NHS number',
    ],
  ])('[H-05] refuses %s', (_name, params, expected) => {
    expect(refusal(parseLegacyDelete(params))).toBe(expected);
  });

  it.each([
    ['0', 'entered-in-error', 'Added in error - this child does not have a family history of FGM'],
    ['2', 'inactive', 'No longer required - this child has had FGM'],
  ] as const)('[H-05] [H-09] translates reason %s into the R4 Remove: status %s, the canonical extension', (code, status, display) => {
    expect(legacyRemoval(code, 'f-1')).toEqual({
      isFlag: true,
      id: 'f-1',
      reasonPresent: true,
      status,
      extension: {
        url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
        valueCoding: { system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason', code, display },
      },
    });
  });
});

describe('parseLegacyCreate (L-6, L-11.5, L-11.7)', () => {
  const patient = (
    children: XmlElement[] = [
      el('identifier', {}, [v('system', 'http://fhir.nhs.net/Id/nhs-number'), v('value', '9000000017')]),
      v('birthDate', '2012-03-15'),
    ],
  ) => el('contained', {}, [el('Patient', {}, [v('id', 'pat'), ...children, el('careProvider', {}, [v('reference', '#gp')])])]);
  const gp = el('contained', {}, [
    el('Organization', {}, [
      v('id', 'gp'),
      el('identifier', {}, [v('system', 'http://fhir.nhs.net/Id/ods-organization-code'), v('value', 'V81997')]),
    ]),
  ]);
  const flag = (change: (children: XmlElement[]) => XmlElement[] = (c) => c) =>
    el(
      'Flag',
      {},
      change([
        v('id', 'client-flag-id'),
        patient(),
        gp,
        v('status', 'active'),
        el('period', {}, [v('start', '2024-05-01')]),
        el('subject', {}, [v('reference', '#pat')]),
        el('code', {}, [el('coding', {}, [v('system', 'http://fhir.nhs.net/ValueSet/risk-indicator-type-1-0'), v('code', 'FGM')])]),
      ]),
    );
  const replace = (name: string, replacement?: XmlElement) => (children: XmlElement[]) => {
    let done = false;
    return children.flatMap((child) => {
      if (done || child.name !== name) return [child];
      done = true;
      return replacement ? [replacement] : [];
    });
  };

  it('reads the R4 Add request, and what only the audit trail keeps', () => {
    expect(parseLegacyCreate(flag(), TODAY)).toEqual({
      ok: true,
      value: { request: { nhsNumber: '9000000017', assessmentDate: '2024-05-01' }, messageBirthDate: '2012-03-15', gpPractice: 'V81997' },
    });
  });

  it.each([
    ['2024-05-01T10:00:00+01:00', '2024-05-01'],
    ['2024-05-01T23:30:00-05:00', '2024-05-01'],
    ['2024-05-01T00:15:00Z', '2024-05-01'],
  ])('takes the date part of a dateTime %s in its own offset (L-11.5)', (start, date) => {
    const result = parseLegacyCreate(flag(replace('period', el('period', {}, [v('start', start)]))), TODAY);
    expect(result.ok && result.value.request.assessmentDate).toBe(date);
  });

  const withStart = (start: string) => flag(replace('period', el('period', {}, [v('start', start)])));
  const badStart = 'INVALID_PARAMETER: Flag.period.start must be a real date (or dateTime), not after today';

  it.each([
    ['2024-05-01T23:59:59.123456789012+14:00', 'a fraction of any length, the largest offset'],
    ['2024-05-01T00:00:00-14:00', 'the smallest offset'],
    ['2024-05-01T00:00:00-00:00', 'a negative zero offset'],
    ['2024-05-01T10:00+01:00', 'no seconds (accepted before, kept)'],
  ])('[H-08] takes %s (%s) as 2024-05-01 (L-11.5)', (start) => {
    expect(parseLegacyCreate(withStart(start), TODAY)).toMatchObject({ ok: true, value: { request: { assessmentDate: '2024-05-01' } } });
  });

  it.each([
    ['2024-05-01T99:99:99+99:99', 'nothing in range'],
    ['2024-05-01T24:00:00Z', 'hour 24'],
    ['2024-05-01T23:60:00Z', 'minute 60'],
    ['2024-05-01T23:59:60Z', 'second 60'],
    ['2024-05-01T10:00:00+14:01', 'an offset past +14:00'],
    ['2024-05-01T10:00:00-15:00', 'an offset past -14:00'],
    ['2024-05-01T10:00:00+05:60', 'offset minutes 60'],
    ['2024-05-01T10:00:00', 'a time without a time zone'],
    ['2024-05-01T10:00:00.Z', 'a fraction without digits'],
    ['2024-05-01T1:00:00Z', 'a one-digit hour'],
    ['2024-05-01T10:00:00+0100', 'an offset without its colon'],
    ['2024-05-01T', 'a T and no time'],
    ['2024-02-30T10:00:00Z', 'a date that does not exist'],
  ])('[H-08] refuses the impossible instant %s (%s) as INVALID_PARAMETER (L-6, L-11.5)', (start) => {
    expect(refusal(parseLegacyCreate(withStart(start), TODAY))).toBe(badStart);
  });

  it('[H-08] property: a dateTime is taken exactly when its hour, minute, second and offset are in range (L-6, L-11.5)', () => {
    const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(
        two,
        two,
        two,
        fc.constantFrom('', '.5', '.000000000001'),
        fc.constantFrom('+', '-'),
        two,
        two,
        (h, m, s, fraction, sign, oh, om) => {
          const start = `2024-05-01T${h}:${m}:${s}${fraction}${sign}${oh}:${om}`;
          const real = Number(h) <= 23 && Number(m) <= 59 && Number(s) <= 59 && (Number(oh) < 14 ? Number(om) <= 59 : oh === '14' && om === '00');
          expect(refusal(parseLegacyCreate(withStart(start), TODAY))).toBe(real ? 'ok' : badStart);
        },
      ),
      { numRuns: 2000 },
    );
  });

  const invalid = 'INVALID_PARAMETER: ';
  it.each<[string, XmlElement, string]>([
    ['a modifierExtension', flag((c) => [...c, el('modifierExtension', { url: 'x' })]), `${invalid}Flag.modifierExtension is not allowed`],
    [
      'another code',
      flag(replace('code', el('code', {}, [el('coding', {}, [v('system', 'http://snomed.info/sct'), v('code', '902961000000107')])]))),
      `${invalid}Flag.code must hold exactly one coding: system http://fhir.nhs.net/ValueSet/risk-indicator-type-1-0, code FGM`,
    ],
    [
      'two codings',
      flag(
        replace(
          'code',
          el('code', {}, [
            el('coding', {}, [v('system', 'http://fhir.nhs.net/ValueSet/risk-indicator-type-1-0'), v('code', 'FGM')]),
            el('coding', {}, [v('system', 'http://fhir.nhs.net/ValueSet/risk-indicator-type-1-0'), v('code', 'FGM')]),
          ]),
        ),
      ),
      `${invalid}Flag.code must hold exactly one coding: system http://fhir.nhs.net/ValueSet/risk-indicator-type-1-0, code FGM`,
    ],
    ['status inactive', flag(replace('status', v('status', 'inactive'))), `${invalid}Flag.status must be active`],
    [
      'a period.end',
      flag(replace('period', el('period', {}, [v('start', '2024-05-01'), v('end', '2025-01-01')]))),
      `${invalid}Flag.period.end must be absent`,
    ],
    ['no period', flag(replace('period')), `${invalid}Flag.period.start must be a real date (or dateTime), not after today`],
    [
      '30 February',
      flag(replace('period', el('period', {}, [v('start', '2024-02-30')]))),
      `${invalid}Flag.period.start must be a real date (or dateTime), not after today`,
    ],
    [
      'tomorrow',
      flag(replace('period', el('period', {}, [v('start', '2026-11-22')]))),
      `${invalid}Flag.period.start must be a real date (or dateTime), not after today`,
    ],
    [
      'a month only',
      flag(replace('period', el('period', {}, [v('start', '2024-05')]))),
      `${invalid}Flag.period.start must be a real date (or dateTime), not after today`,
    ],
    [
      'a subject that is not #id',
      flag(replace('subject', el('subject', {}, [v('reference', 'Patient/pat')]))),
      `${invalid}Flag.subject.reference must be #id of a contained Patient`,
    ],
    [
      'a subject naming nothing',
      flag(replace('subject', el('subject', {}, [v('reference', '#nobody')]))),
      `${invalid}Flag.subject.reference must be #id of a contained Patient`,
    ],
    [
      'two NHS numbers',
      flag(
        replace(
          'contained',
          patient([
            el('identifier', {}, [v('system', 'http://fhir.nhs.net/Id/nhs-number'), v('value', '9000000017')]),
            el('identifier', {}, [v('system', 'http://fhir.nhs.net/Id/nhs-number'), v('value', '9000000025')]),
            v('birthDate', '2012-03-15'),
          ]),
        ),
      ),
      `${invalid}The contained Patient must carry exactly one identifier of system http://fhir.nhs.net/Id/nhs-number`,
    ],
    [
      'an invalid NHS number',
      flag(
        replace(
          'contained',
          patient([el('identifier', {}, [v('system', 'http://fhir.nhs.net/Id/nhs-number'), v('value', '1234567890')]), v('birthDate', '2012-03-15')]),
        ),
      ),
      "INVALID_NHS_NUMBER: The contained Patient's NHS number is not a valid NHS number",
    ],
    [
      'no birthDate',
      flag(replace('contained', patient([el('identifier', {}, [v('system', 'http://fhir.nhs.net/Id/nhs-number'), v('value', '9000000017')])]))),
      `${invalid}The contained Patient must carry a birthDate`,
    ],
  ])('[H-08] refuses %s', (_name, message, expected) => {
    expect(refusal(parseLegacyCreate(message, TODAY))).toBe(expected);
  });
});
