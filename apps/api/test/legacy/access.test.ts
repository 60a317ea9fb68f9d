/**
 * Who may call the legacy endpoints (L-4): the receiver must be this
 * service, the sender allowed the interaction, outside the sandbox a
 * verified (optionally pinned) TLS client certificate, and for create and
 * delete an author with both SDS ids.
 */
import { describe, expect, it } from 'vitest';
import { message, post, readReply } from '../support/legacy.ts';
import { useSandbox } from '../support/sandbox.ts';
import { appWith } from '../support/services.ts';
import { flagsSnapshot } from '../support/snapshot.ts';

useSandbox();

const asSender = (interaction: 'query' | 'create' | 'delete', asid: string) =>
  post(interaction, message(interaction, ['asid:200000000001', `asid:${asid}`]));

describe('ASID checks (L-4)', () => {
  it.each([
    ['200000000001', { query: 200, create: 201, delete: 200 }],
    ['200000000002', { query: 200, create: 403, delete: 403 }],
    ['200000000003', { query: 403, create: 403, delete: 403 }],
    ['200000000099', { query: 403, create: 403, delete: 403 }],
  ] as const)('[L-4] [H-04] sender %s', async (asid, expected) => {
    for (const interaction of ['query', 'create', 'delete'] as const) {
      const before = await flagsSnapshot();
      const response = await asSender(interaction, asid);
      expect(response.status, interaction).toBe(expected[interaction]);
      if (response.status === 403) {
        expect((await readReply(response)).outcome).toMatchObject({
          detailsCode: 'ASID_CHECK_FAILED',
          diagnostics: 'The sender ASID is not authorised for this interaction',
        });
        expect(await flagsSnapshot()).toEqual(before);
      }
    }
  });

  it('[L-4] [H-04] a receiver that is not this service is 403', async () => {
    const response = await post('query', message('query', ['asid:200000000000', 'asid:200000000001']));
    expect(response.status).toBe(403);
    expect((await readReply(response)).outcome?.diagnostics).toBe("MessageHeader.destination.endpoint is not this service's ASID");
  });
});

describe('client certificates (L-4)', () => {
  const FINGERPRINT = 'a'.repeat(64);
  const required = (pins: Record<string, string[]> = {}) =>
    appWith({ legacy: { enabled: true, requireClientCertificate: true, certificatePins: pins } });
  const send = (app: ReturnType<typeof appWith>, cf?: Record<string, unknown>) =>
    app('/fhir/fgm/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml+fhir' },
      body: message('query'),
      ...(cf ? { cf: { tlsClientAuth: cf } } : {}),
    } as RequestInit);
  const diagnostics = async (response: Response) => (await readReply(response)).outcome?.diagnostics;

  it('[L-4] [H-04] when required, no certificate or an unverified one is 403', async () => {
    for (const cf of [undefined, { certVerified: 'NONE' }, { certVerified: 'FAILED:self signed certificate' }]) {
      const response = await send(required(), cf);
      expect(response.status).toBe(403);
      expect(await diagnostics(response)).toBe('A verified TLS client certificate is required');
    }
  });

  it('[L-4] a verified certificate is enough for an ASID that is not pinned', async () => {
    expect((await send(required(), { certVerified: 'SUCCESS', certFingerprintSHA256: 'b'.repeat(64) })).status).toBe(200);
  });

  it('[L-4] [H-04] a pinned ASID needs the registered certificate', async () => {
    const pinned = required({ '200000000001': [FINGERPRINT] });
    expect((await send(pinned, { certVerified: 'SUCCESS', certFingerprintSHA256: FINGERPRINT })).status).toBe(200);
    const other = await send(pinned, { certVerified: 'SUCCESS', certFingerprintSHA256: 'b'.repeat(64) });
    expect(other.status).toBe(403);
    expect(await diagnostics(other)).toBe('The TLS client certificate is not the one registered for the sender ASID');
  });

  it('[L-4] the sandbox does not require one', async () => {
    expect((await post('query', message('query'))).status).toBe(200);
  });
});

describe('author credentials (L-4, L-11.6)', () => {
  it('[L-11.6] [H-06] a create author without both SDS ids is 401 fatal, with no WWW-Authenticate challenge', async () => {
    const response = await post(
      'create',
      message('create', ['<identifier><system value="http://fhir.nhs.net/Id/sds-user-id"/><value value="555555555555"/></identifier>', '']),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBeNull();
    expect((await readReply(response)).outcome).toMatchObject({ severity: 'fatal', code: 'forbidden', detailsCode: 'AUTHOR_CREDENTIALS_ERROR' });
  });

  it('[L-11.6] a delete with no author reference is an envelope fault (400)', async () => {
    const response = await post(
      'delete',
      message('delete', ['<author><reference value="Practitioner/41fe704c-18e5-11e5-b60b-1697f925ec7b"/></author>', '']),
    );
    expect(response.status).toBe(400);
    expect((await readReply(response)).outcome?.diagnostics).toBe(
      'MessageHeader.author.reference must name a Practitioner that is an entry of the Bundle',
    );
  });

  it('[L-4] [H-04] the author is checked after the ASIDs: an unknown sender with no author is 403', async () => {
    const text = message(
      'create',
      ['asid:200000000001', 'asid:200000000099'],
      ['<identifier><system value="http://fhir.nhs.net/Id/sds-user-id"/><value value="555555555555"/></identifier>', ''],
    );
    expect((await post('create', text)).status).toBe(403);
  });
});
