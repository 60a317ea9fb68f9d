import type { FgmFlag } from '@fgm-is/rules';
import { describe, expect, it } from 'vitest';
import { SEEDED_FLAG_ID, add, addBody, read, remove, removeBody, searchTotal } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';

useSandbox();

const GUIDE_EXTENSION = {
  url: 'https://fhir.nhs.uk/StructureDefinition/Extension-England-FGMRemovalReason',
  valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/England-FGMRemovalReason', code: '0' }] },
};

describe('remove (D-9)', () => {
  it('[H-05] 200 with the updated Flag, version 2, ETag and Last-Modified; search no longer finds it', async () => {
    const response = await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID));
    expect(response.status).toBe(200);
    const flag = (await response.json()) as FgmFlag;
    expect(flag).toEqual({
      resourceType: 'Flag',
      id: SEEDED_FLAG_ID,
      meta: { versionId: '2', lastUpdated: expect.any(String) },
      extension: [
        {
          url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
          valueCoding: {
            system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason',
            code: '0',
            display: 'Added in error - this child does not have a family history of FGM',
          },
        },
      ],
      status: 'entered-in-error',
      code: {
        coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }],
        text: 'Family history of FGM (female genital mutilation)',
      },
      subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' } },
      period: { start: '2019-12-10' },
    });
    expect(response.headers.get('ETag')).toBe('W/"2"');
    expect(response.headers.get('Last-Modified')).toBe(new Date(flag.meta.lastUpdated).toUTCString());
    expect(response.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
    expect(response.headers.get('Location')).toBeNull();
    expect(await searchTotal('9000000009')).toBe(0);
    const stored = await read(SEEDED_FLAG_ID);
    expect(await stored.json()).toEqual(flag);
    expect(stored.headers.get('ETag')).toBe('W/"2"');
  });

  it('[D-18] accepts the guide example form, status inactive, and stores it in that form with the canonical display', async () => {
    const response = await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID, { status: 'inactive', extension: [GUIDE_EXTENSION] }));
    expect(response.status).toBe(200);
    const flag = (await response.json()) as Record<string, unknown>;
    expect(flag.status).toBe('inactive');
    expect(flag.extension).toEqual([
      {
        url: GUIDE_EXTENSION.url,
        valueCodeableConcept: {
          coding: [
            { ...GUIDE_EXTENSION.valueCodeableConcept.coding[0], display: 'Added in error - this child does not have a family history of FGM' },
          ],
        },
      },
    ]);
  });

  it.each(['W/"1"', '"1"', '*'])('If-Match %s matches version 1', async (ifMatch) => {
    expect((await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID), { 'If-Match': ifMatch })).status).toBe(200);
  });

  it('[H-05] a stale If-Match is 412 and changes nothing', async () => {
    const response = await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID), { 'If-Match': 'W/"2"' });
    expect(response.status).toBe(412);
    expect(await searchTotal('9000000009')).toBe(1);
  });

  it('Prefer return=minimal and return=OperationOutcome (RESOURCE_UPDATED)', async () => {
    const created = await add(addBody('9000000017'));
    const { id } = (await created.json()) as { id: string };
    const minimal = await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID), { Prefer: 'return=minimal' });
    expect(minimal.status).toBe(200);
    expect(await minimal.text()).toBe('');
    expect(minimal.headers.get('Content-Type')).toBeNull();
    expect(minimal.headers.get('ETag')).toBe('W/"2"');
    const outcome = await remove(id, removeBody(id), { Prefer: 'return=OperationOutcome' });
    const body = (await outcome.json()) as {
      issue: { severity: string; code: string; details: { coding: { code: string }[] }; diagnostics: string }[];
    };
    expect(body.issue[0]).toMatchObject({
      severity: 'information',
      code: 'informational',
      details: { coding: [{ code: 'RESOURCE_UPDATED' }] },
      diagnostics: `Successfully updated resource with ID: ${id}`,
    });
  });

  it('[H-05] remove then re-add then remove again: one active flag at a time, history readable', async () => {
    expect((await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID))).status).toBe(200);
    const readded = await add(addBody('9000000009'));
    expect(readded.status).toBe(201);
    const { id } = (await readded.json()) as { id: string };
    expect(await searchTotal('9000000009')).toBe(1);
    expect((await add(addBody('9000000009'))).status).toBe(400);
    expect((await remove(id, removeBody(id, { extension: [GUIDE_EXTENSION] }))).status).toBe(200);
    expect(await searchTotal('9000000009')).toBe(0);
    expect(((await (await read(SEEDED_FLAG_ID)).json()) as { status: string }).status).toBe('entered-in-error');
    expect(((await (await read(id)).json()) as { status: string }).status).toBe('entered-in-error');
  });

  it('[H-08] an id that is not a FHIR id is R1 without a store lookup', async () => {
    const response = await remove('..%2F..%2Fpatient:9000000009', removeBody('x'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { issue: { details: { coding: { code: string }[] } }[] }).issue[0]?.details.coding[0]?.code).toBe(
      'RESOURCE_NOT_FOUND',
    );
  });
});
