/**
 * The FHIR R4 checks: every catalogue row a client can reach (§8 and the
 * decisions' rows), the D-5 check order, the success shapes of search, add,
 * read and remove (D-1, D-9, D-10, D-11), headers (D-3, D-12, D-21),
 * Prefer, versioning, and one register under concurrent Adds (D-14).
 *
 * @internal
 */
import { type CatalogueEntry, catalogue } from '@fgm-is/rules';
import { ASID, type Answer, signHs256 } from '../http/index.ts';
import { type Context, SEEDED_PATIENT, addBody, removeBody } from '../runner/context.ts';
import { expectEqual, expectFhirJson, expectOutcome, expectStatus, expectThat, jsonOf } from '../runner/expect.ts';
import { type Check, uuid } from './check.ts';

type Flag = {
  id?: string;
  status?: string;
  meta?: { versionId?: string; lastUpdated?: string };
  extension?: Array<{ url?: string; valueCoding?: { code?: string; display?: string; system?: string } }>;
  subject?: { identifier?: { value?: string } };
  period?: { start?: string };
  [key: string]: unknown;
};

/** A catalogue row reached by one request. */
function row(
  id: string,
  entry: CatalogueEntry,
  title: string,
  ask: (context: Context) => Promise<Answer>,
  options: { diagnostics?: boolean } = {},
): Check {
  return {
    id,
    clause: entry.source,
    channel: 'r4',
    title,
    run: async (context) => expectOutcome(await ask(context), entry, options),
  };
}

/** A well-formed JWT the server cannot have issued: signed with another secret. */
async function foreignToken(context: Context, claims: Record<string, unknown> = {}): Promise<string> {
  const { secret } = context.requireMinting();
  const now = Math.floor(Date.now() / 1000);
  return signHs256({ sub: 'x', iss: 'x', aud: 'x', exp: now + 60, activities: ['B0380'], ...claims }, `${secret}-but-not-quite`);
}

const big = (bytes: number) => JSON.stringify({ resourceType: 'Flag', note: 'x'.repeat(bytes) });

const ROWS: Check[] = [
  row('S1-check-digit', catalogue.S1, 'search for an NHS number failing its check digit', (c) => c.search('1234567890')),
  row('S1-wrong-system', catalogue.S1, 'search with another identifier system', async (c) =>
    c.server.send({ path: '/Flag?patient:identifier=https://example.org/id%7C9000000009', headers: await c.head() }),
  ),
  row('S1-missing-parameter', catalogue.S1, 'search without patient:identifier', async (c) =>
    c.server.send({ path: '/Flag', headers: await c.head() }),
  ),
  row('S1-repeated-parameter', catalogue.S1, 'search with patient:identifier twice', async (c) =>
    c.server.send({
      path: '/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number%7C9000000009&patient:identifier=https://fhir.nhs.uk/Id/nhs-number%7C9000000017',
      headers: await c.head(),
    }),
  ),
  row('S2-no-traceid', catalogue.S2, 'search without TraceID', (c) => c.search(SEEDED_PATIENT, { trace: null })),
  row('S2-bad-authorization', catalogue.S2, 'search with Authorization that is not Bearer <JWT>', (c) =>
    c.search(SEEDED_PATIENT, { token: 'not-a-jwt' }),
  ),
  row('S2-short-asid', catalogue.S2, 'search with a FromASID that is not 12 digits', (c) => c.search(SEEDED_PATIENT, { from: '12345' })),
  row('S3-unknown-receiver', catalogue.S3, 'search sent to another ToASID', (c) => c.search(SEEDED_PATIENT, { to: ASID.unknown })),
  row('S3-sender-without-access', catalogue.S3, 'search from a known ASID with no FGM access', (c) => c.search(SEEDED_PATIENT, { from: ASID.none })),
  row('A1-check-digit', catalogue.A1, 'add for an NHS number failing its check digit', (c) => c.add(addBody('1234567890'))),
  row('A1-not-in-directory', catalogue.A1, 'add for a valid NHS number the patient directory does not know', (c) => c.add(addBody('9700000001'))),
  row('A2-code', catalogue.A2, 'add with another code', (c) =>
    c.add(addBody('9000000017', '2024-05-01', { code: { coding: [{ system: 'http://snomed.info/sct', code: '123' }] } })),
  ),
  row('A3-status', catalogue.A3, 'add with status inactive', (c) => c.add(addBody('9000000017', '2024-05-01', { status: 'inactive' }))),
  row('A4-over-18', catalogue.A4, 'add for a patient aged 18 or over', (c) => c.add(addBody('9000000033'))),
  row('A4-no-birth-date', catalogue.A4, 'add for a patient with no birth date in the directory (D-7)', (c) => c.add(addBody('9000000076'))),
  row('A5-male', catalogue.A5, 'add for a patient the directory records as male', (c) => c.add(addBody('9000000025'))),
  row('A6-already-set', catalogue.A6, 'add for a patient who already has an active flag', async (c) => {
    await c.seededFlag();
    return c.add(addBody(SEEDED_PATIENT));
  }),
  row('A7-removal-reason', catalogue.A7, 'add carrying a removal reason', (c) =>
    c.add(addBody('9000000017', '2024-05-01', { extension: removeBody('x').extension })),
  ),
  row('A8-content-type', catalogue.A8, 'add with Content-Type text/plain', (c) => c.add(addBody('9000000017'), { contentType: 'text/plain' })),
  row('A8-no-fromasid', catalogue.A8, 'add without FromASID', (c) => c.add(addBody('9000000017'), { from: null })),
  row('A9-read-only-system', catalogue.A9, 'add from a system allowed only search and read', (c) =>
    c.add(addBody('9000000017'), { from: ASID.readOnly }),
  ),
  row('R1-unknown-id', catalogue.R1, 'remove a flag id the register does not hold', (c) => {
    const id = uuid();
    return c.put(id, removeBody(id));
  }),
  row('R2-id-mismatch', catalogue.R2, 'remove with a body id other than the URL id', async (c) => {
    const flag = await c.freshFlag('9449306753');
    return c.put(flag.id, removeBody('another-id'));
  }),
  row('R3-no-reason', catalogue.R3, 'remove without the removal-reason extension', async (c) => {
    const flag = await c.freshFlag('9449306753');
    return c.put(flag.id, removeBody(flag.id, { extension: undefined }));
  }),
  row('R4-no-traceid', catalogue.R4, 'remove without TraceID', (c) => c.put('x', removeBody('x'), { trace: null })),
  row('R5-read-only-system', catalogue.R5, 'remove from a system allowed only search and read', (c) =>
    c.put('x', removeBody('x'), { from: ASID.readOnly }),
  ),
  row('ID_ON_CREATE', catalogue.ID_ON_CREATE, 'add with a client-chosen id', (c) => c.add(addBody('9000000017', '2024-05-01', { id: 'mine' }))),
  row('INVALID_TOKEN-expired', catalogue.INVALID_TOKEN, 'search with an expired token', async (c) =>
    c.search(SEEDED_PATIENT, { token: await c.token(['B0380'], { iat: 1_600_000_000, exp: 1_600_000_600 }) }),
  ),
  row('INVALID_TOKEN-signature', catalogue.INVALID_TOKEN, 'search with a token signed by another key', async (c) =>
    c.search(SEEDED_PATIENT, { token: await foreignToken(c) }),
  ),
  row('INVALID_TOKEN-alg-none', catalogue.INVALID_TOKEN, 'search with an unsecured token (alg none, D-16)', (c) => {
    c.requireMinting();
    const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    return c.search(SEEDED_PATIENT, {
      token: `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'x', exp: 4_000_000_000, activities: ['B0380'] })}.`,
    });
  }),
  row('USER_NOT_AUTHORISED', catalogue.USER_NOT_AUTHORISED, 'add with a token whose activities allow only viewing (B0370)', async (c) =>
    c.add(addBody('9000000017'), { token: await c.token(['B0370']) }),
  ),
  row('INVALID_BODY-json', catalogue.INVALID_BODY, 'add with a body that is not JSON', (c) => c.add('{"resourceType": "Flag",')),
  row('INVALID_BODY-type', catalogue.INVALID_BODY, 'add with a Patient instead of a Flag', (c) => c.add({ resourceType: 'Patient' })),
  row('INVALID_BODY-duplicate-keys', catalogue.INVALID_BODY, 'add with a key given twice in one object (D-25)', (c) =>
    c.add(JSON.stringify(addBody('9000000017')).replace('"status":"active"', '"status":"active","status":"inactive"')),
  ),
  row('INVALID_ASSESSMENT_DATE-calendar', catalogue.INVALID_ASSESSMENT_DATE, 'add with period.start 2019-02-30', (c) =>
    c.add(addBody('9000000017', '2019-02-30')),
  ),
  row('INVALID_ASSESSMENT_DATE-future', catalogue.INVALID_ASSESSMENT_DATE, 'add with period.start in the future', (c) =>
    c.add(addBody('9000000017', '2999-01-01')),
  ),
  row('INVALID_ASSESSMENT_DATE-before-birth', catalogue.INVALID_ASSESSMENT_DATE, 'add with period.start before the birth date (D-19)', (c) =>
    c.add(addBody('9000000068', '2019-01-01')),
  ),
  row('REMOVE_STATUS', catalogue.REMOVE_STATUS, 'remove with status active', async (c) => {
    const flag = await c.freshFlag('9449306753');
    return c.put(flag.id, removeBody(flag.id, { status: 'active' }));
  }),
  row('REMOVAL_REASON_CODE', catalogue.REMOVAL_REASON_CODE, 'remove with removal reason 1 (not in the R4 code system)', async (c) => {
    const flag = await c.freshFlag('9449306753');
    const body = removeBody(flag.id);
    return c.put(flag.id, JSON.stringify(body).replace('"code":"0"', '"code":"1"'));
  }),
  row('VERSION_MISMATCH', catalogue.VERSION_MISMATCH, 'remove with an If-Match naming another version', async (c) => {
    const flag = await c.freshFlag('9449306753');
    return c.put(flag.id, removeBody(flag.id), {}, { 'If-Match': 'W/"99"' });
  }),
  row('NOT_FOUND', catalogue.NOT_FOUND, 'read a flag id the register does not hold', (c) => c.read(uuid())),
  row('UNKNOWN_PATH', catalogue.UNKNOWN_PATH, 'an unknown path', async (c) => c.server.send({ path: '/Patient', headers: await c.head() }), {
    diagnostics: false,
  }),
  row('METHOD_NOT_ALLOWED', catalogue.METHOD_NOT_ALLOWED, 'DELETE on /Flag/{id}', async (c) =>
    c.server.send({ method: 'DELETE', path: '/Flag/x', headers: await c.head() }),
  ),
  row('NOT_ACCEPTABLE-accept', catalogue.NOT_ACCEPTABLE, 'search with Accept: application/xml', async (c) =>
    c.server.send({
      path: '/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number%7C9000000009',
      headers: { ...(await c.head()), Accept: 'application/xml' },
    }),
  ),
  row('NOT_ACCEPTABLE-format', catalogue.NOT_ACCEPTABLE, 'search with _format=xml (D-24)', (c) => c.search(SEEDED_PATIENT, {}, '&_format=xml')),
  row('BODY_TOO_LARGE', catalogue.BODY_TOO_LARGE, 'add with a 70 KiB body', (c) => c.add(big(70 * 1024))),
];

const ORDER: Check[] = [
  row('D-5-head-before-token', catalogue.S2, 'D-5 order: a missing TraceID is reported before a bad token', (c) =>
    c.search(SEEDED_PATIENT, { trace: null, token: 'a.b.c' }),
  ),
  row('D-5-token-before-asid', catalogue.INVALID_TOKEN, 'D-5 order: a bad token is reported before a refused ASID', (c) =>
    c.search(SEEDED_PATIENT, { token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln', to: ASID.unknown }),
  ),
  row('D-5-asid-before-rbac', catalogue.A9, 'D-5 order: a refused ASID is reported before the user’s activities', async (c) =>
    c.add(addBody('9000000017'), { from: ASID.readOnly, token: await c.token(['B0370']) }),
  ),
  row('D-5-rbac-before-body', catalogue.USER_NOT_AUTHORISED, 'D-5 order: the user’s activities are checked before the body', async (c) =>
    c.add('not json', { token: await c.token(['B0370']) }),
  ),
  row('D-6-id-first', catalogue.ID_ON_CREATE, 'D-6 order: a client id is reported before an invalid NHS number', (c) =>
    c.add(addBody('1234567890', '2024-05-01', { id: 'mine' })),
  ),
  row('D-6-nhs-before-code', catalogue.A1, 'D-6 order: an invalid NHS number is reported before a wrong code', (c) =>
    c.add(addBody('1234567890', '2024-05-01', { code: { coding: [] } })),
  ),
  row('D-9-exists-before-body', catalogue.R1, 'D-9 order: an unknown flag is reported before a mismatched body id', (c) =>
    c.put(uuid(), removeBody('other')),
  ),
];

/** The body of a successful answer as a Flag. */
function flagOf(answer: Answer): Flag {
  expectFhirJson(answer);
  const flag = jsonOf(answer) as Flag;
  expectEqual(flag.resourceType, 'Flag', 'resourceType');
  return flag;
}

const FLOWS: Check[] = [
  {
    id: 'D-10-found',
    clause: 'D-10, §2.1',
    channel: 'r4',
    title: 'search finds the seeded active flag: a searchset with total 1, fullUrl, search.mode and the self link',
    run: async (c) => {
      const seeded = await c.seededFlag();
      const answer = await c.search(SEEDED_PATIENT);
      expectStatus(answer, 200);
      expectFhirJson(answer);
      const bundle = jsonOf(answer) as {
        resourceType?: string;
        type?: string;
        total?: number;
        entry?: Array<{ fullUrl?: string; resource?: Flag; search?: { mode?: string } }>;
        link?: Array<{ relation?: string; url?: string }>;
      };
      expectEqual(bundle.resourceType, 'Bundle', 'resourceType');
      expectEqual(bundle.type, 'searchset', 'Bundle.type');
      expectEqual(bundle.total, 1, 'Bundle.total');
      expectEqual(bundle.entry?.length, 1, 'number of entries');
      const [entry] = bundle.entry ?? [];
      expectEqual(entry?.resource?.id, seeded.id, 'the flag found');
      expectEqual(entry?.resource?.status, 'active', 'its status');
      expectEqual(entry?.resource?.subject?.identifier?.value, SEEDED_PATIENT, 'its NHS number');
      expectEqual(entry?.search?.mode, 'match', 'entry.search.mode');
      expectThat(
        /^https?:\/\/.+\/Flag\/[^/]+$/.test(entry?.fullUrl ?? '') && entry?.fullUrl?.endsWith(`/Flag/${seeded.id}`) === true,
        `entry.fullUrl ${entry?.fullUrl}`,
      );
      const self = bundle.link?.find((link) => link.relation === 'self')?.url ?? '';
      expectThat(
        /^https?:\/\//.test(self) && decodeURIComponent(self).includes(`patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${SEEDED_PATIENT}`),
        `link self ${self}`,
      );
    },
  },
  {
    id: 'D-10-none',
    clause: 'D-10, §2.1',
    channel: 'r4',
    title: 'search for a child with no flag: total 0 and no entry element (not a 404)',
    run: async (c) => {
      await c.clearFlag('9000000017');
      const answer = await c.search('9000000017');
      expectStatus(answer, 200);
      const bundle = jsonOf(answer);
      expectEqual(bundle.total, 0, 'Bundle.total');
      expectThat(!('entry' in bundle), 'no entry element');
    },
  },
  {
    id: 'D-10-not-in-directory',
    clause: '§15',
    channel: 'r4',
    title: 'search for a valid NHS number not in the directory: total 0',
    run: async (c) => {
      const answer = await c.search('9700000001');
      expectStatus(answer, 200);
      expectEqual(jsonOf(answer).total, 0, 'Bundle.total');
    },
  },
  {
    id: 'D-10-raw-bar-and-extra-parameters',
    clause: 'D-10',
    channel: 'r4',
    title: 'search with a literal | and an unknown parameter: found, and the unknown parameter left out of the self link',
    run: async (c) => {
      await c.seededFlag();
      const answer = await c.server.send({
        path: `/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${SEEDED_PATIENT}&colour=blue`,
        headers: await c.head(),
      });
      expectStatus(answer, 200);
      const bundle = jsonOf(answer) as { total?: number; link?: Array<{ url?: string }> };
      expectEqual(bundle.total, 1, 'Bundle.total');
      expectThat(!(bundle.link?.[0]?.url ?? '').includes('colour'), 'the self link leaves out the unknown parameter');
    },
  },
  {
    id: 'D-3-headers',
    clause: 'D-3, D-12, D-21',
    channel: 'r4',
    title: 'responses echo TraceID, mirror a UUID X-Request-ID, and carry Date, no-store and nosniff',
    run: async (c) => {
      const requestId = uuid();
      const trace = `conformance:${c.runId}/headers`;
      const answer = await c.server.send({
        path: `/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number%7C${SEEDED_PATIENT}`,
        headers: { ...(await c.head({ trace })), 'X-Request-ID': requestId },
      });
      expectStatus(answer, 200);
      expectEqual(answer.headers.get('TraceID'), trace, 'TraceID');
      expectEqual(answer.headers.get('X-Request-ID'), requestId, 'X-Request-ID');
      expectThat(answer.headers.get('Date') !== null, 'a Date header');
      expectFhirJson(answer);
      const refused = await c.search('1234567890');
      expectThat(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(refused.headers.get('X-Request-ID') ?? ''),
        'a generated X-Request-ID on an error',
      );
      expectEqual(refused.headers.get('Cache-Control'), 'no-store', 'Cache-Control on an error');
    },
  },
  {
    id: 'D-16-bearer-case',
    clause: 'D-16',
    channel: 'r4',
    title: 'the Bearer scheme name is matched case-insensitively',
    run: async (c) => {
      const headers = await c.head();
      const answer = await c.server.send({
        path: `/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number%7C${SEEDED_PATIENT}`,
        headers: { ...headers, Authorization: (headers.Authorization ?? '').replace('Bearer', 'bEARER') },
      });
      expectStatus(answer, 200);
    },
  },
  {
    id: 'D-1-add',
    clause: 'D-1, D-6, §2.2',
    channel: 'r4',
    title: 'add: 201 with Location, ETag W/"1", Last-Modified and the Flag holding only the FGM-IS items',
    run: async (c) => {
      await c.clearFlag('9000000017');
      const answer = await c.add(addBody('9000000017', '2024-05-01', { note: [{ text: 'dropped' }], category: [{ text: 'dropped' }] }));
      expectStatus(answer, 201);
      const flag = flagOf(answer);
      expectEqual(flag.status, 'active', 'status');
      expectEqual(flag.meta?.versionId, '1', 'meta.versionId');
      expectEqual(flag.period?.start, '2024-05-01', 'period.start');
      expectEqual(flag.subject?.identifier?.value, '9000000017', 'subject');
      expectThat(!('note' in flag) && !('category' in flag), 'elements outside the FGM-IS data items are dropped (D-6)');
      expectThat(
        /^https?:\/\/.+\/Flag\/.+$/.test(answer.headers.get('Location') ?? '') &&
          answer.headers.get('Location')?.endsWith(`/Flag/${flag.id}`) === true,
        'Location',
      );
      expectEqual(answer.headers.get('ETag'), 'W/"1"', 'ETag');
      expectThat(answer.headers.get('Last-Modified') !== null, 'Last-Modified');
      const found = await c.activeFlag('9000000017');
      expectEqual(found?.id, flag.id, 'search finds the new flag');
    },
  },
  {
    id: 'D-1-prefer',
    clause: 'D-1, D-12',
    channel: 'r4',
    title: 'Prefer: return=minimal gives an empty body without Content-Type; return=OperationOutcome gives RESOURCE_CREATED',
    run: async (c) => {
      await c.clearFlag('9000000041');
      const minimal = await c.add(addBody('9000000041'), {}, { Prefer: 'return=minimal' });
      expectStatus(minimal, 201);
      expectEqual(minimal.text, '', 'the body');
      expectEqual(minimal.headers.get('Content-Type'), null, 'Content-Type');
      await c.clearFlag('9000000092');
      const outcome = await c.add(addBody('9000000092'), {}, { Prefer: 'return=OperationOutcome' });
      expectStatus(outcome, 201);
      const body = jsonOf(outcome) as {
        resourceType?: string;
        issue?: Array<{ severity?: string; code?: string; details?: { coding?: Array<{ code?: string }> } }>;
      };
      expectEqual(body.resourceType, 'OperationOutcome', 'resourceType');
      expectEqual(body.issue?.[0]?.severity, 'information', 'issue.severity');
      expectEqual(body.issue?.[0]?.details?.coding?.[0]?.code, 'RESOURCE_CREATED', 'issue.details.coding[0].code');
    },
  },
  {
    id: 'D-9-remove',
    clause: 'D-9, D-11, D-18, §2.3',
    channel: 'r4',
    title: 'read then remove with If-Match: 200, version 2, the canonical display; search no longer finds it, read still does, a second remove is R1',
    run: async (c) => {
      const flag = await c.freshFlag('9449306753');
      const read = await c.read(flag.id);
      expectStatus(read, 200);
      expectEqual(read.headers.get('ETag'), 'W/"1"', 'ETag of the read');
      expectThat(read.headers.get('Last-Modified') !== null, 'Last-Modified on the read');
      const body = removeBody(flag.id, {
        status: 'inactive',
        extension: [
          {
            url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
            valueCoding: { system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason', code: '2', display: 'client text' },
          },
        ],
      });
      const removed = await c.put(flag.id, body, {}, { 'If-Match': 'W/"1"' });
      expectStatus(removed, 200);
      const after = flagOf(removed);
      expectEqual(after.status, 'inactive', 'status');
      expectEqual(after.meta?.versionId, '2', 'meta.versionId');
      expectEqual(removed.headers.get('ETag'), 'W/"2"', 'ETag');
      expectEqual(after.extension?.[0]?.valueCoding?.display, 'No longer required - this child has had FGM', 'the canonical display (D-18)');
      expectEqual(await c.activeFlag('9449306753'), null, 'search after the removal');
      const reread = await c.read(flag.id);
      expectStatus(reread, 200);
      expectEqual(flagOf(reread).status, 'inactive', 'status on a read after removal');
      expectOutcome(await c.put(flag.id, removeBody(flag.id)), catalogue.R1);
    },
  },
  {
    id: 'D-9-guide-extension-form',
    clause: 'D-9, §5',
    channel: 'r4',
    title: 'remove accepts the guide’s own extension form (valueCodeableConcept, the older URLs)',
    run: async (c) => {
      const flag = await c.freshFlag('9449306753');
      const answer = await c.put(
        flag.id,
        removeBody(flag.id, {
          extension: [
            {
              url: 'https://fhir.nhs.uk/StructureDefinition/Extension-England-FGMRemovalReason',
              valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/CodeSystem/England-FGMRemovalReason', code: '0' }] },
            },
          ],
        }),
      );
      expectStatus(answer, 200);
      expectEqual(flagOf(answer).status, 'entered-in-error', 'status');
    },
  },
  {
    id: 'D-14-concurrent-adds',
    clause: 'D-14',
    channel: 'r4',
    title: 'five concurrent Adds for one child: exactly one 201, four A6, and search finds one flag',
    run: async (c) => {
      await c.clearFlag('9000000084');
      const answers = await Promise.all(Array.from({ length: 5 }, () => c.add(addBody('9000000084'))));
      const statuses = answers.map((answer) => answer.status).sort();
      expectEqual(statuses.join(), '201,400,400,400,400', 'statuses');
      for (const answer of answers.filter((a) => a.status === 400)) expectOutcome(answer, catalogue.A6);
      const created = flagOf(answers.find((a) => a.status === 201) as Answer);
      expectEqual((await c.activeFlag('9000000084'))?.id, created.id, 'the flag search finds');
    },
  },
  {
    id: 'D-12-metadata',
    clause: 'D-12',
    channel: 'r4',
    title: 'GET /metadata needs no headers and returns a CapabilityStatement for FHIR 4.0.1',
    run: async (c) => {
      const answer = await c.server.send({ path: '/metadata' });
      expectStatus(answer, 200);
      expectFhirJson(answer);
      const body = jsonOf(answer);
      expectEqual(body.resourceType, 'CapabilityStatement', 'resourceType');
      expectEqual(body.fhirVersion, '4.0.1', 'fhirVersion');
    },
  },
  {
    id: 'D-12-allow',
    clause: 'D-12',
    channel: 'r4',
    title: 'a 405 names the allowed methods in Allow',
    run: async (c) => {
      const answer = await c.server.send({ method: 'DELETE', path: '/Flag/x', headers: await c.head() });
      expectStatus(answer, 405);
      expectThat(
        /\bGET\b/.test(answer.headers.get('Allow') ?? '') && /\bPUT\b/.test(answer.headers.get('Allow') ?? ''),
        `Allow: ${answer.headers.get('Allow')}`,
      );
    },
  },
];

/** Every R4 check, in the order they run. */
export const R4_CHECKS: readonly Check[] = [...ROWS, ...ORDER, ...FLOWS];
