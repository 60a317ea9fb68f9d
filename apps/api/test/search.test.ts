import type { SearchBundle } from '@fgm-is/rules';
import { describe, expect, it } from 'vitest';
import { at } from '../src/test-support/stub-services.ts';
import { BASE, SEARCH_PATH, SEEDED_FLAG_ID, TRACE_ID, add, addBody, call, fgmHeaders, read, remove, removeBody, search } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';
import { appWith } from './support/services.ts';
import { sandboxClaims, signToken } from './support/tokens.ts';

useSandbox();

describe('search (D-10)', () => {
  it('[H-01] [H-04] finds the seeded flag of 9000000009 with every header', async () => {
    const response = await search('9000000009');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('TraceID')).toBe(TRACE_ID);
    expect(response.headers.get('X-Request-ID')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(response.headers.get('Date') ?? '').getTime()).not.toBeNaN();
    const bundle = (await response.json()) as SearchBundle;
    expect(bundle).toEqual({
      resourceType: 'Bundle',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      meta: { lastUpdated: expect.any(String) },
      type: 'searchset',
      total: 1,
      link: [{ relation: 'self', url: `${BASE}${SEARCH_PATH}9000000009` }],
      entry: [
        {
          fullUrl: `${BASE}/Flag/${SEEDED_FLAG_ID}`,
          resource: {
            resourceType: 'Flag',
            id: SEEDED_FLAG_ID,
            meta: { versionId: '1', lastUpdated: '2026-01-05T09:30:00.000Z' },
            status: 'active',
            code: {
              coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }],
              text: 'Family history of FGM (female genital mutilation)',
            },
            subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' } },
            period: { start: '2019-12-10' },
          },
          search: { mode: 'match' },
        },
      ],
    });
  });

  it('[H-02] gives total 0 and no entry for a patient with no flag, and for 9700000001 (not in the directory)', async () => {
    for (const nhs of ['9000000017', '9700000001']) {
      const response = await search(nhs);
      expect(response.status).toBe(200);
      const bundle = (await response.json()) as Record<string, unknown>;
      expect(bundle.total).toBe(0);
      expect(bundle).not.toHaveProperty('entry');
      expect(bundle.link).toEqual([{ relation: 'self', url: `${BASE}${SEARCH_PATH}${nhs}` }]);
    }
  });

  it('[H-01] accepts a percent-encoded | and ignores unknown parameters in the self link', async () => {
    const response = await call('/Flag?patient%3Aidentifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9000000009&_count=5', {
      headers: await fgmHeaders(),
    });
    const bundle = (await response.json()) as SearchBundle;
    expect(bundle.total).toBe(1);
    expect(bundle.link[0]?.url).toBe(`${BASE}${SEARCH_PATH}9000000009`);
  });

  it('[H-01] [H-05] never returns a removed flag, and finds a re-added one', async () => {
    expect((await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID))).status).toBe(200);
    expect(((await (await search('9000000009')).json()) as { total: number }).total).toBe(0);
    const created = await add(addBody('9000000009'));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const bundle = (await (await search('9000000009')).json()) as SearchBundle;
    expect(bundle.total).toBe(1);
    expect(bundle.entry?.[0]?.resource.id).toBe(id);
    expect(id).not.toBe(SEEDED_FLAG_ID);
    expect(((await (await read(SEEDED_FLAG_ID)).json()) as { status: string }).status).toBe('entered-in-error');
  });

  it('[H-01] [H-03] never returns the flag of a patient who is 18 (D-13), on the London date', async () => {
    // 9000000009 was born 2015-06-01: 18 on 2033-06-01, which starts at 23:00 UTC on 31 May (BST).
    const before = appWith({}, { clock: at('2033-05-31T22:59:59.000Z') });
    const after = appWith({}, { clock: at('2033-05-31T23:00:00.000Z') });
    const issued = Date.UTC(2033, 4, 31, 22) / 1000;
    const headers = await fgmHeaders({ Authorization: `Bearer ${await signToken(sandboxClaims({ iat: issued, exp: issued + 7200 }))}` });
    const totalOf = async (request: typeof before) =>
      ((await (await request(`${SEARCH_PATH}9000000009`, { headers })).json()) as { total: number }).total;
    expect(await totalOf(before)).toBe(1);
    expect(await totalOf(after)).toBe(0);
    expect((await after(`/Flag/${SEEDED_FLAG_ID}`, { headers })).status).toBe(200);
  });
});
