import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../ports/errors.ts';
import fixtures from '../sandbox/fixtures.json';
import { createPdsStandIn } from '../test-support/pds-stand-in.ts';
import { pdsPatientDirectory } from './pds-patient-directory.ts';
import { platformTokenSource } from './platform-token.ts';

/** A fake PDS upstream: answers from a table and records the requests it saw. */
function fakePds(answer: (url: string) => Response | Promise<Response>) {
  const seen: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request);
    return answer(request.url);
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const patient = (fields: Record<string, unknown>) => Response.json({ resourceType: 'Patient', id: '9000000017', ...fields });

describe('PDS patient directory (D-8)', () => {
  it('reads birthDate and gender from GET {base}/Patient/{nhs}', async () => {
    const pds = fakePds(() => patient({ birthDate: '2012-03-15', gender: 'female', name: [{ family: 'X' }] }));
    const directory = pdsPatientDirectory({ baseUrl: 'https://pds.example/FHIR/R4/', fetch: pds.fetch });
    expect(await directory.lookup('9000000017')).toEqual({ birthDate: '2012-03-15', gender: 'female' });
    expect(pds.seen[0]?.url).toBe('https://pds.example/FHIR/R4/Patient/9000000017');
    expect(pds.seen[0]?.headers.get('Accept')).toBe('application/fhir+json');
    expect(pds.seen[0]?.headers.get('X-Request-ID')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends our request id as X-Correlation-ID, and a fresh X-Request-ID of its own', async () => {
    const pds = fakePds(() => patient({ birthDate: '2012-03-15' }));
    const directory = pdsPatientDirectory({ baseUrl: 'https://pds.example', fetch: pds.fetch });
    await directory.lookup('9000000017', { correlationId: 'our-request-id' });
    expect(pds.seen[0]?.headers.get('X-Correlation-ID')).toBe('our-request-id');
    expect(pds.seen[0]?.headers.get('X-Request-ID')).not.toBe('our-request-id');
  });

  it('a superseded NHS number (PDS answers another record’s id) is not in the directory (A1, decisions.md P-1)', async () => {
    const directory = pdsPatientDirectory({
      baseUrl: 'https://pds.example',
      fetch: fakePds(() => patient({ id: '9449306753', birthDate: '2013-05-05', gender: 'female' })).fetch,
    });
    expect(await directory.lookup('9000000017')).toBeNull();
  });

  it('a restricted record and a deceased child are decided from their birth date and gender like any other (P-2, P-3)', async () => {
    const restricted = patient({ birthDate: '2012-03-15', gender: 'female', meta: { security: [{ code: 'R', display: 'restricted' }] } });
    const deceased = patient({ birthDate: '2012-03-15', gender: 'female', deceasedDateTime: '2024-01-01T00:00:00+00:00' });
    for (const answer of [restricted, deceased]) {
      const directory = pdsPatientDirectory({ baseUrl: 'https://pds.example', fetch: fakePds(() => answer.clone()).fetch });
      expect(await directory.lookup('9000000017')).toEqual({ birthDate: '2012-03-15', gender: 'female' });
    }
  });

  it('PDS’s 400 for an invalid NHS number is not in the directory; any other 400 is 503', async () => {
    const invalid = () =>
      Response.json({ resourceType: 'OperationOutcome', issue: [{ details: { coding: [{ code: 'INVALID_RESOURCE_ID' }] } }] }, { status: 400 });
    const other = () =>
      Response.json({ resourceType: 'OperationOutcome', issue: [{ details: { coding: [{ code: 'INVALID_VALUE' }] } }] }, { status: 400 });
    expect(await pdsPatientDirectory({ baseUrl: 'https://pds.example', fetch: fakePds(invalid).fetch }).lookup('9000000017')).toBeNull();
    await expect(pdsPatientDirectory({ baseUrl: 'https://pds.example', fetch: fakePds(other).fetch }).lookup('9000000017')).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
  });

  it('keeps a missing gender and a missing birthDate missing', async () => {
    const directory = pdsPatientDirectory({ baseUrl: 'https://pds.example', fetch: fakePds(() => patient({})).fetch });
    expect(await directory.lookup('9000000017')).toEqual({});
  });

  it('404 is an unknown patient', async () => {
    const directory = pdsPatientDirectory({ baseUrl: 'https://pds.example', fetch: fakePds(() => new Response('{}', { status: 404 })).fetch });
    expect(await directory.lookup('9700000001')).toBeNull();
  });

  it.each([
    ['a 500', () => new Response('boom', { status: 500 })],
    ['a 429', () => new Response('slow down', { status: 429 })],
    ['a body that is not JSON', () => new Response('<html>', { status: 200 })],
    ['a resource that is not a Patient', () => Response.json({ resourceType: 'OperationOutcome' })],
    ['a gender outside AdministrativeGender', () => patient({ birthDate: '2012-03-15', gender: 'nonsense' })],
    [
      'a network failure',
      () => {
        throw new TypeError('network down');
      },
    ],
  ])('[H-03] [H-08] %s is DependencyUnavailableError (503)', async (_name, answer) => {
    const directory = pdsPatientDirectory({ baseUrl: 'https://pds.example', fetch: fakePds(answer).fetch });
    await expect(directory.lookup('9000000017')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('[H-07] gives up after the timeout', async () => {
    const hang = (async (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    const directory = pdsPatientDirectory({ baseUrl: 'https://pds.example', fetch: hang, timeoutMs: 20 });
    await expect(directory.lookup('9000000017')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});

describe('PDS through the NHS API platform (application-restricted, signed JWT)', async () => {
  const keys = await generateKeyPair('RS512', { extractable: true, modulusLength: 2048 });
  const privateKeyPem = await exportPKCS8(keys.privateKey);
  const publicJwk = await exportJWK(keys.publicKey);
  const TOKEN_URL = 'https://int.api.service.nhs.uk/oauth2/token';

  function setUp() {
    const stand = createPdsStandIn({ tokenUrl: TOKEN_URL, apiKey: 'app-key', keyId: 'key-1', publicJwk, patients: fixtures.patients });
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => stand.handle(new Request(input, init))) as typeof globalThis.fetch;
    const accessToken = platformTokenSource({ tokenUrl: TOKEN_URL, apiKey: 'app-key', keyId: 'key-1', privateKeyPem, fetch });
    const directory = pdsPatientDirectory({ baseUrl: 'https://int.api.service.nhs.uk/personal-demographics/FHIR/R4', fetch, accessToken });
    return { stand, directory };
  }

  it('one token serves many lookups, each decided from PDS', async () => {
    const { stand, directory } = setUp();
    expect(await directory.lookup('9000000017')).toEqual({ gender: 'female', birthDate: '2012-03-15' });
    expect(await directory.lookup('9000000025')).toEqual({ gender: 'male', birthDate: '2014-01-20' });
    expect(await directory.lookup('9700000001')).toBeNull();
    expect(stand.stats).toMatchObject({ tokensIssued: 1, lookups: 3 });
  });

  it('a 401 renews the token once and tries again', async () => {
    const { stand, directory } = setUp();
    await directory.lookup('9000000017');
    stand.revokeTokens();
    expect(await directory.lookup('9000000017')).toEqual({ gender: 'female', birthDate: '2012-03-15' });
    expect(stand.stats.tokensIssued).toBe(2);
  });

  it('[H-07] a 401 after renewal is 503, not a loop', async () => {
    const stand = createPdsStandIn({ tokenUrl: TOKEN_URL, apiKey: 'app-key', keyId: 'key-1', publicJwk, patients: fixtures.patients });
    let lookups = 0;
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (request.url.includes('/Patient/')) {
        lookups += 1;
        return new Response('{}', { status: 401 });
      }
      return stand.handle(request);
    }) as typeof globalThis.fetch;
    const accessToken = platformTokenSource({ tokenUrl: TOKEN_URL, apiKey: 'app-key', keyId: 'key-1', privateKeyPem, fetch });
    const directory = pdsPatientDirectory({ baseUrl: 'https://pds.example', fetch, accessToken });
    await expect(directory.lookup('9000000017')).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect({ lookups, tokens: stand.stats.tokensIssued }).toEqual({ lookups: 2, tokens: 2 });
  });

  it('[H-07] PDS down is 503', async () => {
    const { stand, directory } = setUp();
    stand.mode = 'down';
    await expect(directory.lookup('9000000017')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
