import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../ports/errors.ts';
import { pdsPatientDirectory } from './pds-patient-directory.ts';

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
