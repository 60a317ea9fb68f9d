/**
 * The PDS directory wired through the app, and failures of the directory and
 * the store: 503 with no internals, nothing half-written, and a retry that
 * succeeds once the fault clears.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.ts';
import { DependencyUnavailableError } from '../src/ports/errors.ts';
import type { FlagStore } from '../src/ports/flag-store.ts';
import { kvFlagStore } from '../src/storage/kv-flag-store.ts';
import { pdsPatientDirectory } from '../src/storage/pds-patient-directory.ts';
import { SEARCH_PATH, addBody, fgmHeaders } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';
import { appWith } from './support/services.ts';
import { flagsSnapshot } from './support/snapshot.ts';
import { sandboxClaims, signToken } from './support/tokens.ts';

useSandbox();
afterEach(() => vi.restoreAllMocks());

const post = async (request: ReturnType<typeof appWith>, nhs: string) =>
  request('/Flag', { method: 'POST', headers: await fgmHeaders(), body: JSON.stringify(addBody(nhs)) });

describe('PDS patient directory through the app', () => {
  let pdsUp = true;
  const fakePds = (async (input: RequestInfo | URL) => {
    if (!pdsUp) return new Response('unavailable', { status: 503 });
    const nhs = new URL(String(input)).pathname.split('/').pop();
    if (nhs === '9449306753') return Response.json({ resourceType: 'Patient', id: nhs, birthDate: '2013-05-05', gender: 'female' });
    if (nhs === '9912003888') return Response.json({ resourceType: 'Patient', id: nhs, birthDate: '2014-01-01', gender: 'male' });
    return new Response(null, { status: 404 });
  }) as typeof fetch;
  const request = appWith({ patients: pdsPatientDirectory({ baseUrl: 'https://pds.example/FHIR/R4', fetch: fakePds }) });

  it('adds for a PDS girl, A5 for a PDS male, A1 for a number PDS does not know', async () => {
    expect((await post(request, '9449306753')).status).toBe(201);
    expect(((await (await post(request, '9912003888')).json()) as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics).toBe(
      'Patient gender must be female, unknown or indeterminate',
    );
    expect(((await (await post(request, '9000000017')).json()) as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics).toBe(
      'Invalid NHS number',
    );
  });

  it('[H-07] PDS down → 503, nothing written; retry succeeds once it is back', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const before = await flagsSnapshot();
    pdsUp = false;
    const failed = await post(request, '9449306753');
    expect(failed.status).toBe(503);
    const text = await failed.text();
    expect(text).not.toContain('pds.example');
    expect(text).not.toContain('9449306753');
    expect(await flagsSnapshot()).toEqual(before);
    pdsUp = true;
    expect((await post(request, '9449306753')).status).toBe(201);
  });
});

describe('store failures', () => {
  it('[H-05] [H-07] a KV failure before the ledger commits → 503 with nothing changed, and a retry succeeds', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const real = kvFlagStore(env.FLAGS);
    let failing = true;
    // The ledger's first read of the patient (its bootstrap) fails: nothing is decided, nothing committed.
    const flaky: FlagStore = {
      ...real,
      getActive: async (nhsNumber) => {
        if (failing) throw new DependencyUnavailableError('kv');
        return real.getActive(nhsNumber);
      },
    };
    const request = appWith({ flags: flaky });
    const before = await flagsSnapshot();
    expect((await post(request, '9000000017')).status).toBe(503);
    expect(await flagsSnapshot()).toEqual(before);
    failing = false;
    expect((await post(request, '9000000017')).status).toBe(201);
  });

  it('[H-04] a configuration error is a 500 OperationOutcome with the standard headers', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = createApp({
      services: () => {
        throw new Error('misconfigured');
      },
    });
    const response = await app.request(`https://fgm.test${SEARCH_PATH}9000000009`, { headers: await fgmHeaders() }, env);
    expect(response.status).toBe(500);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('X-Request-ID')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.text()).not.toContain('misconfigured');
  });
});

describe('operational logs', () => {
  it('[H-04] never carry an NHS number or a token, across success and failure', async () => {
    const lines: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    }
    const token = await signToken(sandboxClaims());
    const headers = await fgmHeaders({ Authorization: `Bearer ${token}` });
    const sent = ['9000000009', '9000000017'];
    const broken = appWith({ flags: { ...kvFlagStore(env.FLAGS), getActive: async () => Promise.reject(new Error('active:9000000009 failed')) } });
    await broken(`${SEARCH_PATH}${sent[0]}`, { headers });
    await broken('/Flag', { method: 'POST', headers, body: JSON.stringify(addBody(sent[1] ?? '')) });
    const ok = appWith({});
    await ok(`${SEARCH_PATH}${sent[0]}`, { headers });
    expect(lines.length).toBeGreaterThan(0);
    // Exactly the NHS numbers this test sent, in any of the forms a person writes them (a random
    // request id may hold ten digits in a row, so a digit-run pattern would fail by chance).
    const forms = sent.flatMap((n) => [n, `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`]);
    for (const line of lines) {
      for (const form of forms) expect(line).not.toContain(form);
      for (const part of token.split('.')) expect(line).not.toContain(part);
    }
  });
});

describe('ledger (Durable Object) failures', () => {
  it('[H-04] [H-07] a writer that cannot be reached → 503 with no internals', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const unreachable = {
      add: async () =>
        Promise.reject(new DependencyUnavailableError('ledger', { cause: new Error('Durable Object reset because its code was updated') })),
      remove: async () => Promise.reject(new DependencyUnavailableError('ledger')),
      removeActive: async () => Promise.reject(new DependencyUnavailableError('ledger')),
    };
    const response = await post(appWith({ writer: unreachable }), '9000000017');
    expect(response.status).toBe(503);
    expect(await response.text()).not.toContain('Durable Object');
  });
});
