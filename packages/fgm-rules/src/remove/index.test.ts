import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { type ErrorKey, catalogue } from '../catalogue/index.ts';
import { FgmFlagSchema } from '../fhir/index.ts';
import { RemoveBodySchema } from '../request-schemas/index.ts';
import { FLAG_ID, NOW, activeRecord, validRemoveBody } from '../test-support/fixtures.ts';
import { decideRemove, parseRemoveBody } from './index.ts';

const CANONICAL_URL = 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason';
const GUIDE_URL = 'https://fhir.nhs.uk/StructureDefinition/Extension-England-FGMRemovalReason';
const CANONICAL_SYSTEM = 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason';
const OLD_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/England-FGMRemovalReason';
const DISPLAY_0 = 'Added in error - this child does not have a family history of FGM';
const DISPLAY_2 = 'No longer required - this child has had FGM';

const body = (edit: (b: Record<string, unknown>) => void = () => {}) => {
  const b = validRemoveBody();
  edit(b);
  return b;
};
const remove = (b: unknown, record = activeRecord() as ReturnType<typeof activeRecord> | null, ifMatch: string | null = null) =>
  decideRemove({ id: FLAG_ID, body: b, record, ifMatch, now: NOW });
const expectError = (result: ReturnType<typeof remove>, key: ErrorKey) => expect(result).toEqual({ ok: false, error: catalogue[key] });

describe('decideRemove (D-9)', () => {
  it('removes: status and extension change, versionId + 1, nothing else', () => {
    const result = remove(body());
    const before = activeRecord();
    expect(result).toEqual({
      ok: true,
      value: {
        ...before,
        flag: {
          ...before.flag,
          meta: { versionId: '2', lastUpdated: NOW },
          status: 'entered-in-error',
          extension: [{ url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: '0', display: DISPLAY_0 } }],
        },
      },
    });
    if (result.ok) expect(v.is(FgmFlagSchema, result.value.flag)).toBe(true);
  });

  it('ignores the other elements of the body', () => {
    const result = remove(
      body((b) => {
        b.subject = { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9449306753' } };
        b.period = { start: '2001-01-01' };
        b.note = 'dropped';
      }),
    );
    expect(result.ok && result.value.flag.subject.identifier.value).toBe('9000000009');
    expect(result.ok && result.value.flag.period.start).toBe('2019-12-10');
  });

  it.each([
    [
      'canonical URL, valueCoding with the client’s own display',
      { url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: '2', display: '<script>alert(1)</script>' } },
      { url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: '2', display: DISPLAY_2 } },
    ],
    [
      'guide URL, valueCodeableConcept, old system',
      { url: GUIDE_URL, valueCodeableConcept: { coding: [{ system: OLD_SYSTEM, code: '0' }] } },
      { url: GUIDE_URL, valueCodeableConcept: { coding: [{ system: OLD_SYSTEM, code: '0', display: DISPLAY_0 }] } },
    ],
    [
      'guide URL, valueCoding',
      { url: GUIDE_URL, valueCoding: { system: OLD_SYSTEM, code: '0' } },
      { url: GUIDE_URL, valueCoding: { system: OLD_SYSTEM, code: '0', display: DISPLAY_0 } },
    ],
    [
      'canonical URL, valueCodeableConcept with 20 KB of text',
      { url: CANONICAL_URL, valueCodeableConcept: { coding: [{ system: CANONICAL_SYSTEM, code: '2' }], text: 'x'.repeat(20_000) } },
      { url: CANONICAL_URL, valueCodeableConcept: { coding: [{ system: CANONICAL_SYSTEM, code: '2', display: DISPLAY_2 }] } },
    ],
  ])('stores in canonical form, keeping the URL and value form (D-18): %s', (_name, extension, stored) => {
    const result = remove(body((b) => (b.extension = [{ url: 'http://example.org/other', valueString: 'x' }, extension])));
    expect(result.ok && result.value.flag.extension).toEqual([stored]);
    if (result.ok) expect(v.is(FgmFlagSchema, result.value.flag)).toBe(true);
  });

  it('drops elements the client smuggled inside the extension', () => {
    const result = remove(
      body((b) => (b.extension = [{ url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: '0', evil: true }, id: 'x' }])),
    );
    expect(result.ok && result.value.flag.extension).toEqual([
      { url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: '0', display: DISPLAY_0 } },
    ]);
  });

  it.each([
    [
      'two codings that disagree ("added in error" and "has had FGM")',
      {
        url: CANONICAL_URL,
        valueCodeableConcept: {
          coding: [
            { system: CANONICAL_SYSTEM, code: '0' },
            { system: CANONICAL_SYSTEM, code: '2' },
          ],
        },
      },
    ],
    [
      'two codings that agree',
      {
        url: CANONICAL_URL,
        valueCodeableConcept: {
          coding: [
            { system: CANONICAL_SYSTEM, code: '0' },
            { system: OLD_SYSTEM, code: '0' },
          ],
        },
      },
    ],
    ['a CodeableConcept with no coding', { url: CANONICAL_URL, valueCodeableConcept: { coding: [], text: 'added in error' } }],
    [
      'both value forms at once',
      {
        url: CANONICAL_URL,
        valueCoding: { system: CANONICAL_SYSTEM, code: '0' },
        valueCodeableConcept: { coding: [{ system: CANONICAL_SYSTEM, code: '2' }] },
      },
    ],
  ])('[H-05] refuses %s as Removal reason code not supported (D-18)', (_name, extension) => {
    expectError(remove(body((b) => (b.extension = [extension]))), 'REMOVAL_REASON_CODE');
  });

  it('[H-05] refuses two removal-reason extensions, even matching ones (D-18)', () => {
    const one = { url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: '0' } };
    expectError(remove(body((b) => (b.extension = [one, one]))), 'REMOVAL_REASON_CODE');
    expectError(
      remove(body((b) => (b.extension = [one, { url: GUIDE_URL, valueCoding: { system: OLD_SYSTEM, code: '2' } }]))),
      'REMOVAL_REASON_CODE',
    );
  });

  it.each(['inactive', 'entered-in-error'])('status %s is accepted', (status) => {
    const result = remove(body((b) => (b.status = status)));
    expect(result.ok && result.value.flag.status).toBe(status);
  });

  it.each<[string, () => ReturnType<typeof remove>, ErrorKey]>([
    ['unparsed body', () => remove('not json'), 'INVALID_BODY'],
    ['a Patient', () => remove({ ...validRemoveBody(), resourceType: 'Patient' }), 'INVALID_BODY'],
    ['unknown id', () => remove(body(), null), 'R1'],
    ['already removed', () => remove(body(), activeRecord({ status: 'entered-in-error' })), 'R1'],
    ['malformed If-Match', () => remove(body(), activeRecord(), 'version 1'), 'R4'],
    ['stale If-Match', () => remove(body(), activeRecord(), 'W/"2"'), 'VERSION_MISMATCH'],
    ['no body id', () => remove(body((b) => delete b.id)), 'R2'],
    ['another body id', () => remove(body((b) => (b.id = 'other'))), 'R2'],
    ['no extension', () => remove(body((b) => delete b.extension)), 'R3'],
    ['only other extensions', () => remove(body((b) => (b.extension = [{ url: 'http://example.org/x' }]))), 'R3'],
    ['status active', () => remove(body((b) => (b.status = 'active'))), 'REMOVE_STATUS'],
    ['no status', () => remove(body((b) => delete b.status)), 'REMOVE_STATUS'],
    [
      'code 1 (DSTU2 only)',
      () => remove(body((b) => (b.extension = [{ url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: '1' } }]))),
      'REMOVAL_REASON_CODE',
    ],
    [
      'an unknown system',
      () => remove(body((b) => (b.extension = [{ url: CANONICAL_URL, valueCoding: { system: 'http://x', code: '0' } }]))),
      'REMOVAL_REASON_CODE',
    ],
    ['an extension with no value', () => remove(body((b) => (b.extension = [{ url: CANONICAL_URL }]))), 'REMOVAL_REASON_CODE'],
    [
      'a numeric code',
      () => remove(body((b) => (b.extension = [{ url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: 0 } }]))),
      'REMOVAL_REASON_CODE',
    ],
  ])('[H-05] %s → %s', (_name, run, key) => {
    expectError(run(), key);
  });

  it.each(['*', 'W/"1"', '"1"', 'W/"0", W/"1"'])('If-Match %s matches version 1', (ifMatch) => {
    expect(remove(body(), activeRecord(), ifMatch).ok).toBe(true);
  });

  it('checks in the order of D-9', () => {
    const wrong = { resourceType: 'Flag', id: 'other', status: 'active' };
    expectError(remove(wrong, null, 'W/"9"'), 'R1');
    expectError(remove(wrong, activeRecord(), 'W/"9"'), 'VERSION_MISMATCH');
    expectError(remove(wrong, activeRecord()), 'R2');
    expectError(remove({ ...wrong, id: FLAG_ID }), 'R3');
    expectError(remove({ ...wrong, id: FLAG_ID, extension: [{ url: GUIDE_URL }] }), 'REMOVE_STATUS');
  });

  it('increments the version each time', () => {
    const record = activeRecord({ meta: { versionId: '9', lastUpdated: NOW } });
    const result = remove(body(), record, 'W/"9"');
    expect(result.ok && result.value.flag.meta.versionId).toBe('10');
  });
});

describe('parseRemoveBody', () => {
  it('reduces any body to a small plain summary', () => {
    expect(parseRemoveBody(validRemoveBody())).toEqual({
      isFlag: true,
      id: FLAG_ID,
      reasonPresent: true,
      status: 'entered-in-error',
      extension: { url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: '0', display: DISPLAY_0 } },
    });
    const deep = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(parseRemoveBody(deep)).toEqual({ isFlag: false, id: undefined, reasonPresent: false, status: undefined, extension: undefined });
    expect(
      parseRemoveBody({ ...validRemoveBody(), id: 'x'.repeat(65), extension: [{ url: CANONICAL_URL, valueCoding: { code: '9' } }] }),
    ).toMatchObject({
      id: undefined,
      reasonPresent: true,
      extension: undefined,
    });
  });

  it('is structured-clonable, unlike some bodies', () => {
    const summary = parseRemoveBody({ ...validRemoveBody(), nested: JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`) });
    expect(structuredClone(summary)).toEqual(summary);
  });
});

describe('RemoveBodySchema (a Remove body the rules accept, as one schema for documentation)', () => {
  it.each([
    ['as sent', body(), true],
    [
      'reason 1',
      body(
        (b) =>
          ((b.extension as { valueCoding: { code: string } }[])[0] = {
            ...(b.extension as object[])[0],
            valueCoding: { system: CANONICAL_SYSTEM, code: '1' },
          } as never),
      ),
      false,
    ],
    ['two reasons', body((b) => (b.extension = [...(b.extension as object[]), ...(b.extension as object[])])), false],
    ['status active', body((b) => void (b.status = 'active')), false],
    ['no extension', body((b) => void delete b.extension), false],
  ] as const)('[H-05] %s: the schema says %s, as parseRemoveBody reads it', (_name, candidate, accepted) => {
    expect(v.is(RemoveBodySchema, candidate)).toBe(accepted);
    const read = parseRemoveBody(candidate);
    expect(read.isFlag && read.status !== undefined && read.extension !== undefined).toBe(accepted);
  });
});
