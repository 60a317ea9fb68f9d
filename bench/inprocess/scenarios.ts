/**
 * The in-process scenarios, shared by the Node run and the workerd run: each
 * is a function sending one request to the in-process API and checking its
 * status, so a scenario that stops working fails loudly instead of timing an
 * error path.
 */
import { syntheticNhsNumber } from '../shared/synthetic.ts';
import type { InProcessApi } from './app.ts';
import { addPatients, indexFlags } from './app.ts';
import { BASE, SEEDED_FLAG_ID, fgmHeaders, flagBody, searchUrl } from './requests.ts';

/** Where synthetic patients for in-process Adds start (clear of the HTTP bench's ranges). */
const ADD_RANGE = 3_000_000;
/** Where synthetic indexed flags for the scale scenarios start. */
const SCALE_RANGE = 4_000_000;

/** A scenario: request number `i` (fresh data per `i` where the interaction needs it). */
type Scenario = (i: number) => Promise<void>;

async function expectStatus(response: Response, status: number, name: string): Promise<void> {
  await response.arrayBuffer();
  if (response.status !== status) throw new Error(`${name}: expected ${status}, got ${response.status}`);
}

/** The scenarios by name. */
export type Scenarios = Awaited<ReturnType<typeof scenarios>>;

/**
 * The R4 scenarios (and the legacy query) over `api`, with a signed sandbox
 * `token`; prepares `adds` patients for Adds and `scaleFlags` indexed flags
 * for the scaled search first.
 */
export async function scenarios(api: InProcessApi, token: string, legacyQueryXml: string, options: { adds: number; scaleFlags: number }) {
  const headers = fgmHeaders(token);
  await addPatients(
    api,
    Array.from({ length: options.adds }, (_, i) => syntheticNhsNumber(ADD_RANGE + i)),
  );
  const scale = Array.from({ length: options.scaleFlags }, (_, i) => {
    const nhsNumber = syntheticNhsNumber(SCALE_RANGE + i);
    const flagId = `scale-${i}`;
    return {
      nhsNumber,
      flagId,
      value: JSON.stringify({
        nhsNumber,
        agesOutOn: '2033-01-01',
        flag: {
          resourceType: 'Flag',
          id: flagId,
          ...JSON.parse(flagBody(nhsNumber)),
          meta: { versionId: '1', lastUpdated: '2026-01-01T00:00:00.000Z' },
        },
      }),
    };
  });
  await indexFlags(api, scale);
  const send = (url: string, init: RequestInit = {}) =>
    api.fetch(new Request(url, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } }));
  return {
    searchHit: (async () => expectStatus(await send(searchUrl('9000000009')), 200, 'searchHit')) satisfies Scenario,
    searchMiss: (async () => expectStatus(await send(searchUrl('9000000017')), 200, 'searchMiss')) satisfies Scenario,
    read: (async () => expectStatus(await send(`${BASE}/Flag/${SEEDED_FLAG_ID}`), 200, 'read')) satisfies Scenario,
    add: (async (i: number) => {
      if (i >= options.adds) throw new Error(`add: only ${options.adds} patients prepared`);
      await expectStatus(await send(`${BASE}/Flag`, { method: 'POST', body: flagBody(syntheticNhsNumber(ADD_RANGE + i)) }), 201, 'add');
    }) satisfies Scenario,
    searchScaled: (async (i: number) =>
      expectStatus(
        await send(searchUrl(syntheticNhsNumber(SCALE_RANGE + ((i * 7919) % options.scaleFlags)))),
        200,
        'searchScaled',
      )) satisfies Scenario,
    legacyQuery: (async () =>
      expectStatus(
        await api.fetch(
          new Request(`${BASE}/fhir/fgm/query`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/xml+fhir; charset=utf-8' },
            body: legacyQueryXml,
          }),
        ),
        200,
        'legacyQuery',
      )) satisfies Scenario,
  };
}
