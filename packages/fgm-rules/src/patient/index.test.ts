import { describe, expect, it } from 'vitest';
import { parsePatientDemographics } from './index.ts';

describe('parsePatientDemographics (D-8)', () => {
  it.each([
    [
      { birthDate: '2012-03-15', gender: 'female' },
      { birthDate: '2012-03-15', gender: 'female' },
    ],
    [{ gender: 'unknown' }, { gender: 'unknown' }],
    [{ birthDate: '2020-01-01' }, { birthDate: '2020-01-01' }],
    [{ birthDate: '2012' }, { birthDate: '2012' }],
    [{}, {}],
    [
      { resourceType: 'Patient', id: '9000000017', birthDate: '2012-03-15', gender: 'other', name: [{ family: 'X' }] },
      { birthDate: '2012-03-15', gender: 'other' },
    ],
  ])('reads %j', (record, expected) => {
    expect(parsePatientDemographics(record)).toEqual(expected);
  });

  it.each([
    ['a gender outside AdministrativeGender ("M")', { gender: 'M' }],
    ['a gender in the wrong case', { gender: 'Male' }],
    ['a gender that is not a string', { gender: 1 }],
    ['a birthDate that is not a date', { birthDate: '15/03/2012' }],
    ['a null birthDate', { birthDate: null }],
    ['another resource', { resourceType: 'OperationOutcome' }],
    ['an array', [{ gender: 'female' }]],
    ['null', null],
    ['a string', 'female'],
  ])('[H-03] [H-08] refuses %s', (_name, record) => {
    expect(parsePatientDemographics(record)).toBeUndefined();
  });
});
