import { SPEC_ERRORS, type SpecErrorKey, expectedOutcome, expectedStatus } from '@fgm-is/spec-oracle';
import { describe, expect, it } from 'vitest';
import {
  type CatalogueEntry,
  type Result,
  authoriseAsid,
  authoriseUser,
  catalogue,
  catalogueEntries,
  checkBodySize,
  checkHeadParameters,
  decideAdd,
  decideRemove,
  negotiateAccept,
  parseAccessTokenClaims,
  parseJsonBody,
  parseSearchQuery,
  toOperationOutcome,
  validateAddBody,
} from '../index.ts';
import { FLAG_ID, NOW, TODAY, activeRecord, headers, validAddBody, validRemoveBody } from '../test-support/fixtures.ts';

const policy = {
  serviceAsid: '200000000000',
  asids: { '200000000001': ['search', 'add', 'remove'], '200000000003': [] },
  activities: { B0370: ['search'] },
} as const satisfies Parameters<typeof authoriseAsid>[0];

const goodHeaders = {
  TraceID: 'trace-1',
  FromASID: '200000000001',
  ToASID: '200000000000',
  Authorization: 'Bearer aaa.bbb.ccc',
  'Content-Type': 'application/fhir+json',
};

const addRequest = { nhsNumber: '9000000017', assessmentDate: '2019-12-10' };
const decide = (patient: Parameters<typeof decideAdd>[0]['patient'], activeFlag = null as ReturnType<typeof activeRecord> | null) =>
  decideAdd({ request: addRequest, patient, activeFlag, today: TODAY, id: FLAG_ID, now: NOW });
const remove = (body: unknown, record = activeRecord() as ReturnType<typeof activeRecord> | null, ifMatch: string | null = null) =>
  decideRemove({ id: FLAG_ID, body, record, ifMatch, now: NOW });
const withBody = (change: (body: Record<string, unknown>) => void, base = validAddBody) => {
  const body = base();
  change(body);
  return body;
};

/** Each catalogue row produced through the rules API from a failing input. */
const PRODUCERS: Record<SpecErrorKey, () => Result<unknown> | CatalogueEntry> = {
  S1: () => parseSearchQuery(new URLSearchParams('patient:identifier=https://fhir.nhs.uk/Id/nhs-number|1234567890')),
  S2: () => checkHeadParameters(headers({ ...goodHeaders, TraceID: undefined }), 'search'),
  S3: () => authoriseAsid(policy, '200000000003', '200000000000', 'search'),
  A1: () =>
    validateAddBody(
      withBody((b) => (b.subject = { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9787576543' } })),
      TODAY,
    ),
  A2: () =>
    validateAddBody(
      withBody((b) => (b.code = { coding: [{ system: 'http://snomed.info/sct', code: '123' }] })),
      TODAY,
    ),
  A3: () =>
    validateAddBody(
      withBody((b) => (b.status = 'inactive')),
      TODAY,
    ),
  A4: () => decide({ birthDate: '2008-11-21', gender: 'female' }),
  A5: () => decide({ birthDate: '2014-01-20', gender: 'male' }),
  A6: () => decide({ birthDate: '2015-06-01', gender: 'female' }, activeRecord()),
  A7: () =>
    validateAddBody(
      withBody((b) => (b.extension = validRemoveBody().extension)),
      TODAY,
    ),
  A8: () => checkHeadParameters(headers({ ...goodHeaders, 'Content-Type': 'text/plain' }), 'add'),
  A9: () => authoriseAsid(policy, '200000000001', '200000000009', 'add'),
  R1: () => remove(validRemoveBody(), null),
  R2: () => remove(withBody((b) => (b.id = 'another-id'), validRemoveBody)),
  R3: () => remove(withBody((b) => delete b.extension, validRemoveBody)),
  R4: () => checkHeadParameters(headers({ ...goodHeaders, Authorization: 'Basic dXNlcjpwYXNz' }), 'remove'),
  R5: () => authoriseAsid(policy, '200000000002', '200000000000', 'remove'),
  ID_ON_CREATE: () =>
    validateAddBody(
      withBody((b) => (b.id = 'client-id')),
      TODAY,
    ),
  INVALID_TOKEN: () => parseAccessTokenClaims({ sub: 'user', exp: 1, iss: 'i', aud: 'a' }, { now: new Date(0) }),
  USER_NOT_AUTHORISED: () => authoriseUser(policy, ['B0370'], 'add'),
  INVALID_BODY: () => parseJsonBody('{"resourceType":'),
  INVALID_ASSESSMENT_DATE: () =>
    validateAddBody(
      withBody((b) => (b.period = { start: '2026-02-30' })),
      TODAY,
    ),
  REMOVE_STATUS: () => remove(withBody((b) => (b.status = 'active'), validRemoveBody)),
  REMOVAL_REASON_CODE: () =>
    remove(
      withBody((b) => {
        b.extension = [
          {
            url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
            valueCoding: { system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason', code: '1' },
          },
        ];
      }, validRemoveBody),
    ),
  VERSION_MISMATCH: () => remove(validRemoveBody(), activeRecord(), 'W/"2"'),
  NOT_FOUND: () => catalogue.NOT_FOUND,
  UNKNOWN_PATH: () => catalogue.UNKNOWN_PATH,
  METHOD_NOT_ALLOWED: () => catalogue.METHOD_NOT_ALLOWED,
  NOT_ACCEPTABLE: () => negotiateAccept('application/xml'),
  BODY_TOO_LARGE: () => checkBodySize(64 * 1024 + 1),
  SERVICE_UNAVAILABLE: () => catalogue.SERVICE_UNAVAILABLE,
  INTERNAL_ERROR: () => catalogue.INTERNAL_ERROR,
};

function entryOf(produced: Result<unknown> | CatalogueEntry): CatalogueEntry {
  if ('ok' in produced) {
    if (produced.ok) throw new Error('expected a failure, got success');
    return produced.error;
  }
  return produced;
}

describe('error catalogue', () => {
  it('has exactly the rows of spec §8 and the §14 decisions, in that order', () => {
    expect(catalogueEntries.map((entry) => entry.key)).toEqual(Object.keys(SPEC_ERRORS));
  });

  it.each(Object.keys(SPEC_ERRORS) as SpecErrorKey[])('%s is produced by the rules with the exact OperationOutcome and status', (key) => {
    const entry = entryOf(PRODUCERS[key]());
    expect(entry.key).toBe(key);
    expect(entry.status).toBe(expectedStatus(key));
    expect(toOperationOutcome(entry, 'oo-1')).toEqual(expectedOutcome(key, 'oo-1'));
  });

  it('entries are frozen data', () => {
    expect(Object.isFrozen(catalogue.S1)).toBe(true);
    expect(Object.isFrozen(catalogue)).toBe(true);
  });
});
