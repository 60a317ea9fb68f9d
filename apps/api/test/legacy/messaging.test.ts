/**
 * The legacy interactions on the one register (L-1, L-5, L-6, L-7): the
 * shipped example messages, the cross-channel cases and concurrent writes.
 */
import { LEGACY_SPEC_ERRORS } from '@fgm-is/spec-oracle';
import { describe, expect, it } from 'vitest';
import { expectConsistentStore } from '../../src/test-support/consistency.ts';
import { SEEDED_FLAG_ID, add, addBody, read, remove, removeBody, search } from '../support/http.ts';
import { EXAMPLE_MESSAGE_IDS, message, post, readReply } from '../support/legacy.ts';
import { useSandbox } from '../support/sandbox.ts';
import { flagsSnapshot } from '../support/snapshot.ts';

useSandbox();

const ok = (event: string, identifier: string, data?: string) => ({
  type: 'message',
  entries: data ? ['MessageHeader', 'Flag'] : ['MessageHeader'],
  header: {
    event: `urn:nhs:names:services:clinicals-sync:${event}`,
    eventSystem: 'http://fhir.nhs.net/ValueSet/message-event-2-0',
    identifier,
    code: 'ok',
    details: undefined,
    source: 'urn:nhs:addressing:asid:200000000000',
    sourceName: 'FGM-IS',
    destination: 'urn:nhs:addressing:asid:200000000001',
    data,
  },
});

const searchTotalOf = async (nhs: string) => (await (await search(nhs)).json()) as { total: number; entry?: { resource: Record<string, unknown> }[] };

describe('the shipped example messages (L-10)', () => {
  it('[L-5] [H-01] query.xml: 200 with the Flag of 9000000009, its id the R4 id', async () => {
    const response = await post('query', message('query'));
    expect(response.status).toBe(200);
    expect(await readReply(response)).toEqual({
      ...ok('FGMQueryResponse_2_0', EXAMPLE_MESSAGE_IDS.query, `Flag/${SEEDED_FLAG_ID}`),
      flag: {
        id: SEEDED_FLAG_ID,
        status: 'active',
        start: '2019-12-10',
        nhsNumber: '9000000009',
        system: 'http://fhir.nhs.net/ValueSet/risk-indicator-type-1-0',
        code: 'FGM',
        subject: expect.stringMatching(/^#[0-9a-f-]{36}$/),
      },
    });
  });

  it('[L-6] [H-09] create.xml: 201, and the stored flag is exactly what an R4 Add would store', async () => {
    const response = await post('create', message('create'));
    expect(response.status).toBe(201);
    expect(await readReply(response)).toEqual(ok('FGMCreateResponse_1_0', EXAMPLE_MESSAGE_IDS.create));
    const found = await searchTotalOf('9000000084');
    expect(found.total).toBe(1);
    const legacyFlag = found.entry?.[0]?.resource ?? {};
    const r4 = await add(addBody('9449306753'));
    const r4Flag = (await r4.json()) as Record<string, unknown>;
    const shape = (flag: Record<string, unknown>) => ({ ...flag, id: 'x', meta: { ...(flag.meta as object), lastUpdated: 'x' }, subject: 'x' });
    expect(shape(legacyFlag)).toEqual(shape(r4Flag));
    expect(legacyFlag).toMatchObject({ meta: { versionId: '1' }, status: 'active', period: { start: '2024-05-01' } });
  });

  it('[L-7] [H-09] delete.xml: 200; the R4 read shows entered-in-error with the canonical reason 0; a query is then 404', async () => {
    const response = await post('delete', message('delete'));
    expect(response.status).toBe(200);
    expect(await readReply(response)).toEqual(ok('FGMDeleteResponse_1_0', EXAMPLE_MESSAGE_IDS.delete));
    const flag = (await (await read(SEEDED_FLAG_ID)).json()) as Record<string, unknown>;
    expect(flag).toMatchObject({
      status: 'entered-in-error',
      meta: { versionId: '2' },
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
    });
    expect((await post('query', message('query'))).status).toBe(404);
  });
});

describe('one register across both channels (L-1)', () => {
  it('[L-1] [H-09] a legacy create is found by an R4 search and read', async () => {
    expect((await post('create', message('create'))).status).toBe(201);
    const found = await searchTotalOf('9000000084');
    expect(found.total).toBe(1);
    const id = String(found.entry?.[0]?.resource.id);
    expect((await read(id)).status).toBe(200);
  });

  it('[L-1] [H-09] an R4 add is found by a legacy query', async () => {
    const created = (await (await add(addBody('9000000017'))).json()) as { id: string };
    const response = await post('query', message('query', ['9000000009', '9000000017']));
    expect(response.status).toBe(200);
    expect((await readReply(response)).flag?.id).toBe(created.id);
  });

  it('[L-1] [H-01] an R4 remove makes a legacy query answer 404 NO_RECORD_FOUND', async () => {
    expect((await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID))).status).toBe(200);
    const response = await post('query', message('query'));
    expect(response.status).toBe(404);
    expect((await readReply(response)).outcome?.detailsCode).toBe('NO_RECORD_FOUND');
  });

  it.each([
    ['0', 'entered-in-error'],
    ['2', 'inactive'],
  ])('[L-7] [H-05] a legacy delete with reason %s shows in an R4 read as %s, with the same reason code', async (code, status) => {
    const response = await post('delete', message('delete', ['<code value="0"/>', `<code value="${code}"/>`]));
    expect(response.status).toBe(200);
    const flag = (await (await read(SEEDED_FLAG_ID)).json()) as { status: string; extension: { valueCoding: { code: string } }[] };
    expect(flag.status).toBe(status);
    expect(flag.extension[0]?.valueCoding.code).toBe(code);
  });

  it('[L-7] [H-05] reason 1 is refused and changes nothing; an R4 search still finds the flag', async () => {
    const response = await post('delete', message('delete', ['<code value="0"/>', '<code value="1"/>']));
    expect(response.status).toBe(400);
    expect((await readReply(response)).outcome?.diagnostics).toBe(
      'FGMDeleteReason 1 is not accepted: a family history of FGM does not lapse; use 0 or 2',
    );
    expect((await searchTotalOf('9000000009')).total).toBe(1);
  });

  it('[L-7] [H-05] a delete for a patient with no active flag is 404 NO_RECORD_FOUND', async () => {
    const response = await post('delete', message('delete', ['9000000009', '9000000017']));
    expect(response.status).toBe(404);
  });

  it('[L-6] [H-05] [H-09] legacy and R4 creates racing for one patient give exactly one flag', async () => {
    const legacy = () => post('create', message('create'));
    const r4 = () => add(addBody('9000000084'));
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? legacy() : r4())));
    const created = responses.filter((response) => response.status === 201);
    expect(created).toHaveLength(1);
    for (const response of responses.filter((r) => r.status !== 201)) expect([400, 422]).toContain(response.status);
    expect((await searchTotalOf('9000000084')).total).toBe(1);
    await expectConsistentStore();
  });

  it('[L-6] [D-19] [H-08] [H-09] an assessment before the directory’s birth date is INVALID_PARAMETER', async () => {
    const response = await post('create', message('create', ['<start value="2024-05-01"/>', '<start value="2011-09-08"/>']));
    expect(response.status).toBe(400);
    expect((await readReply(response)).outcome).toMatchObject({
      detailsCode: 'INVALID_PARAMETER',
      diagnostics: "Flag.period.start is before the patient's birth date",
    });
  });

  it('[L-6] [H-09] the directory decides, never the message: a male patient is INVALID_PARAMETER with the R4 wording', async () => {
    const response = await post('create', message('create', ['9000000084', '9000000025'], ['2011-09-09', '2014-01-20']));
    expect(response.status).toBe(400);
    expect((await readReply(response)).outcome).toMatchObject({
      detailsCode: 'INVALID_PARAMETER',
      diagnostics: 'Patient gender must be female, unknown or indeterminate',
    });
  });

  it('[L-6] [H-09] an NHS number unknown to the directory is INVALID_NHS_NUMBER', async () => {
    const response = await post('create', message('create', ['9000000084', '9700000001']));
    expect(response.status).toBe(400);
    expect((await readReply(response)).outcome?.detailsCode).toBe('INVALID_NHS_NUMBER');
  });

  it('[L-11.9] [H-01] [H-09] a 1_0 query is answered with the 1_0 response event and v2 semantics (404 for no record)', async () => {
    const text = message('query', ['FGMQuery_2_0', 'FGMQuery_1_0'], ['message-event-2-0', 'message-event-1-0'], ['9000000009', '9000000017']);
    const response = await post('query', text);
    expect(response.status).toBe(404);
    expect((await readReply(response)).header).toMatchObject({
      event: 'urn:nhs:names:services:clinicals-sync:FGMQueryResponse_1_0',
      eventSystem: 'http://fhir.nhs.net/ValueSet/message-event-1-0',
    });
  });
});

describe('period.start as a dateTime: a real instant or nothing (L-6, L-11.5)', () => {
  const withStart = (start: string) => message('create', ['<start value="2024-05-01"/>', `<start value="${start}"/>`]);
  const [status, severity, issueType, code, display] = LEGACY_SPEC_ERRORS.INVALID_PARAMETER;

  it.each([
    ['2024-05-01T99:99:99+99:99', 'nothing in range'],
    ['2024-05-01T24:00:00Z', 'hour 24'],
    ['2024-05-01T23:60:00Z', 'minute 60'],
    ['2024-05-01T23:59:60Z', 'second 60'],
    ['2024-05-01T10:00:00+14:01', 'an offset past +14:00'],
    ['2024-05-01T10:00:00-15:00', 'an offset past -14:00'],
    ['2024-05-01T10:00:00+05:60', 'offset minutes 60'],
    ['2024-05-01T10:00:00', 'a time without a time zone'],
  ])('[L-6] [L-11.5] [H-08] a create with period.start %s (%s) is 400 INVALID_PARAMETER and stores nothing', async (start) => {
    const before = await flagsSnapshot();
    const response = await post('create', withStart(start));
    expect(response.status).toBe(status);
    expect((await readReply(response)).outcome).toMatchObject({
      severity,
      code: issueType,
      detailsCode: code,
      display,
      diagnostics: 'Flag.period.start must be a real date (or dateTime), not after today',
    });
    expect(await flagsSnapshot()).toEqual(before);
    expect((await searchTotalOf('9000000084')).total).toBe(0);
  });

  it.each([
    ['2024-05-01T23:59:59.123456789012+14:00', 'a long fraction, the largest offset'],
    ['2024-05-01T00:00:00-14:00', 'the smallest offset'],
  ])('[L-6] [L-11.5] [H-09] a create with the real instant %s (%s) stores its date part, as an R4 Add would', async (start) => {
    const response = await post('create', withStart(start));
    expect(response.status).toBe(201);
    const found = await searchTotalOf('9000000084');
    expect(found.entry?.[0]?.resource).toMatchObject({ period: { start: '2024-05-01' } });
  });
});
