import { describe, expect, it } from 'vitest';
import { BASE, TRACE_ID, add, addBody, read, searchTotal } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';

useSandbox();

const FLAG_JSON = (id: string, nhs: string, lastUpdated: string) => ({
  resourceType: 'Flag',
  id,
  meta: { versionId: '1', lastUpdated },
  status: 'active',
  code: {
    coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }],
    text: 'Family history of FGM (female genital mutilation)',
  },
  subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhs } },
  period: { start: '2024-05-01' },
});

describe('add (D-1, D-6)', () => {
  it('201 with Location, ETag, Last-Modified, TraceID, X-Request-ID and the created Flag', async () => {
    const response = await add(addBody('9000000017'));
    expect(response.status).toBe(201);
    const flag = (await response.json()) as { id: string; meta: { lastUpdated: string } };
    expect(flag).toEqual(FLAG_JSON(flag.id, '9000000017', flag.meta.lastUpdated));
    expect(flag.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.fromEntries(response.headers)).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/fhir+json; charset=utf-8',
      date: expect.any(String),
      etag: 'W/"1"',
      'last-modified': new Date(flag.meta.lastUpdated).toUTCString(),
      location: `${BASE}/Flag/${flag.id}`,
      traceid: TRACE_ID,
      'x-content-type-options': 'nosniff',
      'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(await searchTotal('9000000017')).toBe(1);
    expect((await read(flag.id)).status).toBe(200);
  });

  it('[H-08] drops every element outside the FGM-IS data items', async () => {
    const response = await add(
      addBody('9000000084', {
        meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Flag'], versionId: '99' },
        category: [{ text: 'clinical' }],
        author: { reference: 'Practitioner/1' },
        text: { status: 'generated', div: '<div>x</div>' },
        identifier: [{ value: 'x' }],
      }),
    );
    const flag = (await response.json()) as { id: string; meta: { lastUpdated: string } };
    expect(flag).toEqual(FLAG_JSON(flag.id, '9000000084', flag.meta.lastUpdated));
  });

  it.each([
    ['9000000017', 'female, 2012'],
    ['9000000041', 'unknown gender'],
    ['9000000068', 'other gender (PDS indeterminate)'],
    ['9000000084', 'female, 2011'],
    ['9000000092', 'no gender'],
    ['9449306753', 'female, 2013'],
  ])('sandbox patient %s (%s) can be flagged', async (nhs) => {
    expect((await add(addBody(nhs))).status).toBe(201);
    expect(await searchTotal(nhs)).toBe(1);
  });

  it('[H-05] a second Add for the same patient is A6 and leaves one flag', async () => {
    expect((await add(addBody('9000000017'))).status).toBe(201);
    const second = await add(addBody('9000000017'));
    expect(second.status).toBe(400);
    expect(((await second.json()) as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics).toBe('Flag value was already set');
    expect(await searchTotal('9000000017')).toBe(1);
  });

  describe('Prefer (D-1)', () => {
    it('return=minimal: empty body, no Content-Type, still Location and ETag', async () => {
      const response = await add(addBody('9000000017'), { Prefer: 'return=minimal' });
      expect(response.status).toBe(201);
      expect(await response.text()).toBe('');
      expect(response.headers.get('Content-Type')).toBeNull();
      expect(response.headers.get('Location')).toMatch(new RegExp(`^${BASE}/Flag/[0-9a-f-]{36}$`));
      expect(response.headers.get('ETag')).toBe('W/"1"');
    });

    it('return=representation: the Flag', async () => {
      const response = await add(addBody('9000000017'), { Prefer: 'return=representation' });
      expect(((await response.json()) as { resourceType: string }).resourceType).toBe('Flag');
    });

    it('return=OperationOutcome: RESOURCE_CREATED naming the new id', async () => {
      const response = await add(addBody('9000000017'), { Prefer: 'return=OperationOutcome' });
      expect(response.status).toBe(201);
      const id = response.headers.get('Location')?.split('/').pop();
      const text = `Successfully created resource with ID: ${id}`;
      const outcome = (await response.json()) as { id: string };
      expect(outcome).toEqual({
        resourceType: 'OperationOutcome',
        id: outcome.id,
        issue: [
          {
            severity: 'information',
            code: 'informational',
            details: {
              coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/England-SpineErrorOrWarningCode', code: 'RESOURCE_CREATED', display: text }],
            },
            diagnostics: text,
          },
        ],
      });
    });

    it('an unknown return= value gets the default', async () => {
      const response = await add(addBody('9000000017'), { Prefer: 'return=everything' });
      expect(((await response.json()) as { resourceType: string }).resourceType).toBe('Flag');
    });
  });

  it('accepts application/json and charset/fhirVersion parameters', async () => {
    expect((await add(addBody('9000000017'), { 'Content-Type': 'application/json; charset=UTF-8' })).status).toBe(201);
    expect((await add(addBody('9000000084'), { 'Content-Type': 'application/fhir+json; fhirVersion=4.0' })).status).toBe(201);
  });
});
