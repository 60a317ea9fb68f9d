import { mkdtemp, rm, writeFile } from 'node:fs/promises';
/**
 * Adds decided by PDS through the NHS API platform, end to end: `wrangler
 * dev` (what `npm start` runs) with `PATIENT_DIRECTORY=pds` and the four
 * sign-in settings in an env file (as a `.dev.vars` would give them), against
 * a strict stand-in of the platform's token endpoint and PDS on 127.0.0.1
 * (`src/test-support/pds-stand-in.ts`: it verifies each client assertion's
 * RS512 signature with the registered public key, and its claims). Never a
 * network call to the NHS.
 *
 * Both channels: a girl PDS knows → 201, a boy → A5, an adult → A4, a
 * number PDS does not know → A1; PDS failing → 503 with nothing stored; and
 * one token request serves every lookup.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSandboxToken } from '../scripts/sandbox-token.ts';
import fixtures from '../src/sandbox/fixtures.json';
import { type PdsStandIn, createPdsStandIn } from '../src/test-support/pds-stand-in.ts';
import { type SandboxServer, startSandboxServer } from './support/server.ts';

let stand: PdsStandIn;
let standServer: Server;
let server: SandboxServer;
let scratch = '';
let token = '';

beforeAll(async () => {
  const keys = await generateKeyPair('RS512', { extractable: true, modulusLength: 2048 });
  // The stand-in's port is known only once it listens; the token URL (the assertion's aud) names it.
  standServer = createServer();
  await new Promise<void>((resolve) => standServer.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(standServer.address() as AddressInfo).port}`;
  stand = createPdsStandIn({
    tokenUrl: `${origin}/oauth2/token`,
    apiKey: 'e2e-application-key',
    keyId: 'e2e-key-1',
    publicJwk: await exportJWK(keys.publicKey),
    patients: fixtures.patients,
  });
  standServer.on('request', async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request = new Request(`${origin}${incoming.url}`, {
      method: incoming.method ?? 'GET',
      headers: incoming.headers as Record<string, string>,
      ...(incoming.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
    });
    const response = await stand.handle(request);
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  scratch = await mkdtemp(join(tmpdir(), 'fgm-pds-'));
  const envFile = join(scratch, 'pds.env');
  const pem = (await exportPKCS8(keys.privateKey)).trim().replace(/\n/g, '\\n');
  await writeFile(
    envFile,
    [
      'PATIENT_DIRECTORY=pds',
      `PDS_BASE_URL=${origin}/personal-demographics/FHIR/R4`,
      `PDS_TOKEN_URL=${origin}/oauth2/token`,
      'PDS_API_KEY=e2e-application-key',
      'PDS_KEY_ID=e2e-key-1',
      `PDS_PRIVATE_KEY="${pem}"`,
      '',
    ].join('\n'),
  );
  server = await startSandboxServer({ envFile });
  token = await signSandboxToken({ sub: '555555555555', activities: ['B0380'], role: 'R8000', org: 'A12345' });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => standServer?.close(resolve));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const headers = () => ({
  Authorization: `Bearer ${token}`,
  TraceID: 'e2e-pds',
  FromASID: '200000000001',
  ToASID: '200000000000',
  'Content-Type': 'application/fhir+json',
});

function add(nhsNumber: string): Promise<Response> {
  return fetch(`${server.baseUrl}/Flag`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({
      resourceType: 'Flag',
      status: 'active',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '902961000000107' }] },
      subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber } },
      period: { start: '2024-05-01' },
    }),
  });
}

async function legacyCreate(nhsNumber: string, birthDate: string): Promise<Response> {
  const flag = `<Flag><id value="f"/><contained><Patient><id value="p"/><identifier><system value="http://fhir.nhs.net/Id/nhs-number"/><value value="${nhsNumber}"/></identifier><birthDate value="${birthDate}"/></Patient></contained><status value="active"/><period><start value="2024-05-01"/></period><subject><reference value="#p"/></subject><code><coding><system value="http://fhir.nhs.net/ValueSet/risk-indicator-type-1-0"/><code value="FGM"/></coding></code></Flag>`;
  const body = `<Bundle xmlns="http://hl7.org/fhir"><type value="message"/><entry><resource><MessageHeader><id value="e2e-pds-legacy"/><timestamp value="2026-01-01T00:00:00Z"/><event><code value="urn:nhs:names:services:clinicals-sync:FGMCreate_1_0"/></event><source><endpoint value="urn:nhs:addressing:asid:200000000001"/></source><destination><endpoint value="urn:nhs:addressing:asid:200000000000"/></destination><author><reference value="Practitioner/a"/></author><data><reference value="Flag/f"/></data></MessageHeader></resource></entry><entry><resource>${flag}</resource></entry><entry><resource><Practitioner><id value="a"/><identifier><system value="http://fhir.nhs.net/Id/sds-user-id"/><value value="555555555555"/></identifier><identifier><system value="http://fhir.nhs.net/Id/sds-role-profile-id"/><value value="555555555666"/></identifier></Practitioner></resource></entry></Bundle>`;
  return fetch(`${server.baseUrl}/fhir/fgm/create`, { method: 'POST', headers: { 'Content-Type': 'application/xml+fhir' }, body });
}

/** The Spine details code of an R4 OperationOutcome, or the legacy code of a message's. */
async function codeOf(response: Response): Promise<string> {
  const text = await response.text();
  return /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? /<code value="([A-Z_0-9]+)"\/><display/.exec(text)?.[1] ?? text.slice(0, 80);
}

async function searchTotal(nhsNumber: string): Promise<number> {
  const response = await fetch(`${server.baseUrl}/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`, { headers: headers() });
  return ((await response.json()) as { total: number }).total;
}

describe('PDS through the NHS API platform (PATIENT_DIRECTORY=pds, signed JWT sign-in)', () => {
  it('R4 Adds are decided from PDS: a girl 201, a boy A5, an adult A4, unknown A1; one token for all', async () => {
    const girl = await add('9000000017');
    expect(girl.status).toBe(201);
    await girl.body?.cancel();
    const boy = await add('9000000025');
    expect(boy.status).toBe(400);
    expect(await boy.text()).toContain('Patient gender must be female, unknown or indeterminate');
    const adult = await add('9000000033');
    expect(adult.status).toBe(400);
    expect(await adult.text()).toContain('Patient is over 18');
    const unknown = await add('9700000001');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('"INVALID_VALUE"');
    expect(stand.stats).toMatchObject({ tokensIssued: 1, tokensRefused: 0 });
    expect(stand.stats.lookups).toBe(4);
    // Our request id reached PDS as its correlation id (a UUID, never a patient detail).
    expect(stand.stats.correlationIds.every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
  });

  it('legacy creates are decided from PDS too: a girl 201, a boy INVALID_PARAMETER, an adult PATIENT_OVER_18, unknown INVALID_NHS_NUMBER', async () => {
    expect((await legacyCreate('9000000084', '2011-09-09')).status).toBe(201);
    const boy = await legacyCreate('9000000025', '2014-01-20');
    expect([boy.status, await codeOf(boy)]).toEqual([400, 'INVALID_PARAMETER']);
    const adult = await legacyCreate('9000000033', '1990-07-04');
    expect([adult.status, await codeOf(adult)]).toEqual([400, 'PATIENT_OVER_18']);
    const unknown = await legacyCreate('9700000001', '2015-01-01');
    expect([unknown.status, await codeOf(unknown)]).toEqual([400, 'INVALID_NHS_NUMBER']);
    expect(stand.stats.tokensIssued).toBe(1);
  });

  it('PDS failing → 503 on both channels, and nothing stored', async () => {
    stand.mode = 'down';
    try {
      const r4 = await add('9449306753');
      expect([r4.status, await codeOf(r4)]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      const legacy = await legacyCreate('9000000041', '2016-11-30');
      expect([legacy.status, await codeOf(legacy)]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    } finally {
      stand.mode = 'ok';
    }
    expect(await searchTotal('9449306753')).toBe(0);
    expect(await searchTotal('9000000041')).toBe(0);
  });

  it('a token PDS stops accepting is renewed once, and the Add goes through', async () => {
    stand.revokeTokens();
    const response = await add('9449306753');
    expect(response.status).toBe(201);
    await response.body?.cancel();
    expect(stand.stats.tokensIssued).toBe(2);
  });
});
