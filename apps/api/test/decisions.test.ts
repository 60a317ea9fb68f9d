/**
 * The decisions added after the first release (D-16 … D-26), each over HTTP
 * through the Worker in workerd, with the state left unchanged by every refusal.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import type { FlagStore } from '../src/ports/flag-store.ts';
import { durableFlagWriter } from '../src/register/durable-flag-writer.ts';
import { durableFlagLocator } from '../src/register/flag-locator.ts';
import { localFlagWriter } from '../src/register/local-flag-writer.ts';
import { kvFlagStore } from '../src/storage/kv-flag-store.ts';
import { auditOf } from './support/audit.ts';
import { BASE, SEARCH_PATH, SEEDED_FLAG_ID, add, addBody, call, fgmHeaders, read, remove, removeBody, search } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';
import { appWith } from './support/services.ts';
import { flagsSnapshot } from './support/snapshot.ts';
import { sandboxClaims, signToken } from './support/tokens.ts';

useSandbox();
// Audit rows arrive through the audit queue, which batches for up to 1 s (wrangler.toml): a test reading several waits for several.
vi.setConfig({ testTimeout: 15_000 });

const CANONICAL_URL = 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason';
const CANONICAL_SYSTEM = 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason';
const outcomeOf = async (response: Response) =>
  ((await response.json()) as { issue: { code: string; details: { coding: { code: string }[] }; diagnostics: string }[] }).issue[0];
const now = () => Math.floor(Date.now() / 1000);
const bearer = async (claims: Record<string, unknown>) => `Bearer ${await signToken(sandboxClaims(claims))}`;

describe('D-16 Bearer scheme', () => {
  it.each(['bearer', 'BEARER', 'Bearer'])('[D-16] [H-04] the scheme %s is accepted in any case', async (scheme) => {
    const token = await signToken(sandboxClaims());
    expect((await search('9000000009', { Authorization: `${scheme} ${token}` })).status).toBe(200);
  });
});

describe('D-17 token limits', () => {
  it.each([
    ['an iat 61 s in the future', () => ({ iat: now() + 61 })],
    ['an exp ten years away', () => ({ exp: now() + 10 * 365 * 86_400 })],
    ['an exp past the configured lifetime', () => ({ exp: now() + 43_200 + 60 })],
    ['an nbf in the future', () => ({ nbf: now() + 120 })],
    ['a sub of 65 characters', () => ({ sub: 'x'.repeat(65) })],
    ['a role of 11,000 characters', () => ({ role: 'R'.repeat(11_000) })],
    ['an org with a space', () => ({ org: 'A1 2345' })],
  ])('[D-17] [H-04] %s → 401, and nothing of it reaches the audit trail', async (_name, claims) => {
    const response = await search('9000000009', { Authorization: await bearer(claims()) });
    expect(response.status).toBe(401);
    expect(await outcomeOf(response)).toMatchObject({ code: 'login', diagnostics: 'Invalid or expired access token' });
    expect(await auditOf(response)).toMatchObject({ status: 401, user_sub: null, user_role: null, user_org: null });
  });

  it('[D-17] an iat 60 s ahead (clock skew) and a 12-hour token are accepted', async () => {
    expect((await search('9000000009', { Authorization: await bearer({ iat: now() + 60, exp: now() + 43_000 }) })).status).toBe(200);
  });
});

describe('D-18 removal reason, one and canonical', () => {
  it.each([
    [
      'two codings that disagree',
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
    ['two removal extensions', null],
  ])('[D-18] [H-05] %s → 400 Removal reason code not supported, nothing changes', async (_name, extension) => {
    const one = { url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: '0' } };
    const before = await flagsSnapshot();
    const response = await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID, { extension: extension ? [extension] : [one, one] }));
    expect(response.status).toBe(400);
    expect(await outcomeOf(response)).toMatchObject({
      code: 'invalid',
      details: { coding: [{ code: 'UNSUPPORTED_VALUE' }] },
      diagnostics: 'Removal reason code not supported',
    });
    expect(await flagsSnapshot()).toEqual(before);
  });

  it('[D-18] [H-08] the client’s display (a script) and 20 KB of text are not stored: the server sets the canonical display', async () => {
    const response = await remove(
      SEEDED_FLAG_ID,
      removeBody(SEEDED_FLAG_ID, {
        extension: [
          {
            url: CANONICAL_URL,
            valueCodeableConcept: {
              coding: [{ system: CANONICAL_SYSTEM, code: '2', display: '<script>alert(1)</script>' }],
              text: 'x'.repeat(20_000),
            },
          },
        ],
      }),
    );
    expect(response.status).toBe(200);
    const stored = await (await read(SEEDED_FLAG_ID)).text();
    expect(stored).not.toContain('<script>');
    expect(stored.length).toBeLessThan(2000);
    expect(JSON.parse(stored).extension).toEqual([
      {
        url: CANONICAL_URL,
        valueCodeableConcept: { coding: [{ system: CANONICAL_SYSTEM, code: '2', display: 'No longer required - this child has had FGM' }] },
      },
    ]);
  });
});

describe('D-19 assessment date after birth', () => {
  it('[D-19] [H-08] an assessment dated before the directory’s birth date → 400, nothing stored', async () => {
    const before = await flagsSnapshot();
    // 9000000017 was born 2012-03-15.
    const response = await add(addBody('9000000017', { period: { start: '2012-03-14' } }));
    expect(response.status).toBe(400);
    expect(await outcomeOf(response)).toMatchObject({
      details: { coding: [{ code: 'INVALID_VALUE' }] },
      diagnostics: 'Assessment date (period.start) must be a valid date',
    });
    expect(await flagsSnapshot()).toEqual(before);
    expect((await add(addBody('9000000017', { period: { start: '2012-03-15' } }))).status).toBe(201);
  });
});

describe('D-20 links', () => {
  it('[D-20] [H-02] with PUBLIC_BASE_URL set, Location, fullUrl and self links ignore the Host header', async () => {
    const app = appWith({ publicBaseUrl: 'https://fgm-is.example.nhs.uk' });
    const created = await app('/Flag', {
      method: 'POST',
      headers: await fgmHeaders({ Host: 'evil.example' }),
      body: JSON.stringify(addBody('9000000017')),
    });
    expect(created.headers.get('Location')).toMatch(/^https:\/\/fgm-is\.example\.nhs\.uk\/Flag\/[0-9a-f-]{36}$/);
    const found = (await (await app(`${SEARCH_PATH}9000000017`, { headers: await fgmHeaders({ Host: 'evil.example' }) })).json()) as {
      link: { url: string }[];
      entry: { fullUrl: string }[];
    };
    expect(found.link[0]?.url).toMatch(/^https:\/\/fgm-is\.example\.nhs\.uk\/Flag\?/);
    expect(found.entry[0]?.fullUrl).toMatch(/^https:\/\/fgm-is\.example\.nhs\.uk\/Flag\//);
    expect(JSON.stringify(found)).not.toContain('evil.example');
  });

  it('[D-20] the sandbox uses the request origin', async () => {
    expect((await add(addBody('9000000017'))).headers.get('Location')).toMatch(new RegExp(`^${BASE}/Flag/`));
  });
});

describe('D-21 request ids', () => {
  it('[D-21] [H-06] a client X-Request-ID that is a UUID is mirrored and recorded in the audit trail', async () => {
    const offered = '3f2a6c1e-9b8d-4c7e-a1f0-2b3c4d5e6f70';
    const response = await search('9000000009', { 'X-Request-ID': offered });
    expect(response.headers.get('X-Request-ID')).toBe(offered);
    expect((await auditOf(response)).request_id).toBe(offered);
  });

  it('[D-21] anything else is replaced by the server’s own id', async () => {
    const response = await search('9000000009', { 'X-Request-ID': 'not-a-uuid' });
    expect(response.headers.get('X-Request-ID')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('D-23 oversized bodies', () => {
  const big = JSON.stringify(addBody('9000000017', { note: 'x'.repeat(70_000) }));

  it('[D-23] [H-06] a body declared over 64 KiB → the 413 OperationOutcome, audited, nothing stored', async () => {
    const before = await flagsSnapshot();
    const response = await call('/Flag', { method: 'POST', headers: await fgmHeaders(), body: big });
    expect(response.status).toBe(413);
    expect(await outcomeOf(response)).toMatchObject({ code: 'too-costly', diagnostics: 'Request body too large' });
    expect(await auditOf(response)).toMatchObject({ interaction: 'add', status: 413, details_code: 'INVALID_VALUE' });
    expect(await flagsSnapshot()).toEqual(before);
  });

  it('[D-23] [H-06] [H-07] a streamed body found over 64 KiB → the same 413, audited', async () => {
    const bytes = new TextEncoder().encode(big);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096));
        controller.close();
      },
    });
    const response = await call(`/Flag/${SEEDED_FLAG_ID}`, { method: 'PUT', headers: await fgmHeaders(), body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await auditOf(response)).toMatchObject({ interaction: 'remove', status: 413 });
  });
});

describe('D-24 _format', () => {
  it.each(['xml', 'application/fhir+xml', 'text/html'])('[D-24] _format=%s → the D-12 406 on search, read and metadata', async (format) => {
    const q = `_format=${encodeURIComponent(format)}`;
    for (const response of [
      await call(`${SEARCH_PATH}9000000009&${q}`, { headers: await fgmHeaders() }),
      await call(`/Flag/${SEEDED_FLAG_ID}?${q}`, { headers: await fgmHeaders() }),
      await call(`/metadata?${q}`),
    ]) {
      expect(response.status).toBe(406);
      expect(await outcomeOf(response)).toMatchObject({ code: 'not-supported', diagnostics: 'Only application/fhir+json is supported' });
    }
  });

  it('[D-24] _format=json and application/fhir+json are fine, and other _ parameters are ignored', async () => {
    expect((await call(`${SEARCH_PATH}9000000009&_format=json&_pretty=true`, { headers: await fgmHeaders() })).status).toBe(200);
    expect((await call('/metadata?_format=application/fhir%2Bjson')).status).toBe(200);
  });
});

describe('D-25 duplicate JSON keys', () => {
  it('[D-25] [H-08] a key given twice → 400 Invalid request body on Add and Remove, nothing stored', async () => {
    const before = await flagsSnapshot();
    const valid = JSON.stringify(addBody('9000000017'));
    const twice = valid.replace('"status":"active"', '"status":"entered-in-error","status":"active"');
    const added = await call('/Flag', { method: 'POST', headers: await fgmHeaders(), body: twice });
    const removing = JSON.stringify(removeBody(SEEDED_FLAG_ID)).replace('"id":', '"id":"other","id":');
    const removed = await call(`/Flag/${SEEDED_FLAG_ID}`, { method: 'PUT', headers: await fgmHeaders(), body: removing });
    for (const response of [added, removed]) {
      expect(response.status).toBe(400);
      expect(await outcomeOf(response)).toMatchObject({ diagnostics: 'Invalid request body' });
    }
    expect(await flagsSnapshot()).toEqual(before);
  });
});

describe('D-26 Remove finds fresh flags', () => {
  /**
   * The flag store as another location sees it: writes go through, but a
   * read of an id written in the last minute misses, as Workers KV's
   * propagation delay and cached negative lookups (up to 60 s) can make it.
   */
  function laggingStore(real: FlagStore): { store: FlagStore; writtenHere: Set<string> } {
    const writtenHere = new Set<string>();
    return {
      writtenHere,
      store: {
        ...real,
        getById: async (id) => (writtenHere.has(id) ? null : real.getById(id)),
        getActive: async (nhsNumber) => real.getActive(nhsNumber),
      },
    };
  }

  it('[D-26] [H-05] a Remove sent elsewhere moments after the Add finds the flag (the strongly consistent locator)', async () => {
    const created = await add(addBody('9000000017'));
    const { id } = (await created.json()) as { id: string };
    const { store, writtenHere } = laggingStore(kvFlagStore(env.FLAGS));
    writtenHere.add(id);
    const elsewhere = appWith({ flags: store, writer: durableFlagWriter(env.FLAG_LEDGER, store, durableFlagLocator(env.FLAG_LOCATOR)) });
    const response = await elsewhere(`/Flag/${id}`, { method: 'PUT', headers: await fgmHeaders(), body: JSON.stringify(removeBody(id)) });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { meta: { versionId: string } }).meta.versionId).toBe('2');
  });

  it('[D-26] the same Remove through a writer that trusts only the lagging store would have been R1', async () => {
    const created = await add(addBody('9000000017'));
    const { id } = (await created.json()) as { id: string };
    const { store, writtenHere } = laggingStore(kvFlagStore(env.FLAGS));
    writtenHere.add(id);
    const kvOnly = appWith({ flags: store, writer: localFlagWriter(store) });
    const response = await kvOnly(`/Flag/${id}`, { method: 'PUT', headers: await fgmHeaders(), body: JSON.stringify(removeBody(id)) });
    expect(response.status).toBe(400);
    expect(await outcomeOf(response)).toMatchObject({ diagnostics: 'Resource not found' });
  });
});
