/**
 * Every row of the error catalogue (spec §8 and the §14 decisions), triggered
 * over HTTP through the Worker, with the whole OperationOutcome asserted
 * against the spec's own text, and the stored flags unchanged.
 */

import { env } from 'cloudflare:workers';
import { SPEC_ERRORS, type SpecErrorKey, expectedOutcome, expectedStatus } from '@fgm-is/spec-oracle';
import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.ts';
import { DependencyUnavailableError } from '../src/ports/errors.ts';
import type { FlagStore } from '../src/ports/flag-store.ts';
import { SEARCH_PATH, SEEDED_FLAG_ID, add, addBody, call, fgmHeaders, remove, removeBody, search } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';
import { servicesWith } from './support/services.ts';
import { flagsSnapshot } from './support/snapshot.ts';
import { sandboxClaims, signToken, tokenWith } from './support/tokens.ts';

useSandbox();

const CANONICAL_URL = 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason';
const CANONICAL_SYSTEM = 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason';

/** A store whose every call fails with the given error. */
function failingStore(error: () => Error): FlagStore {
  const fail = async () => {
    throw error();
  };
  return {
    getById: fail,
    getActive: fail,
    create: fail,
    update: fail,
    putFlag: fail,
    putIndex: fail,
    discard: fail,
    listIndex: fail,
    removeFromIndex: fail,
  };
}

async function viaApp(store: FlagStore): Promise<Response> {
  const app = createApp({ services: () => servicesWith({ flags: store }) });
  return app.request(`https://fgm.test${SEARCH_PATH}9000000009`, { headers: await fgmHeaders() }, env);
}

const TRIGGERS: Record<SpecErrorKey, () => Promise<Response>> = {
  S1: () => search('1234567890'),
  S2: () => search('9000000009', { TraceID: undefined }),
  S3: () => search('9000000009', { FromASID: '200000000003' }),
  A1: () => add(addBody('9787576543')),
  A2: () => add(addBody('9000000017', { code: { coding: [{ system: 'http://snomed.info/sct', code: '1234' }] } })),
  A3: () => add(addBody('9000000017', { status: 'inactive' })),
  A4: () => add(addBody('9000000033')),
  A5: () => add(addBody('9000000025')),
  A6: () => add(addBody('9000000009')),
  A7: () => add(addBody('9000000017', { extension: removeBody('x').extension })),
  A8: () => add(addBody('9000000017'), { 'Content-Type': 'text/plain' }),
  A9: () => add(addBody('9000000017'), { FromASID: '200000000002' }),
  R1: () => remove('6e0c2f8a-0000-4000-8000-000000000000', removeBody('6e0c2f8a-0000-4000-8000-000000000000')),
  R2: () => remove(SEEDED_FLAG_ID, removeBody('another-id')),
  R3: () => remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID, { extension: undefined })),
  R4: () => remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID), { ToASID: undefined }),
  R5: () => remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID), { FromASID: '200000000002' }),
  ID_ON_CREATE: () => add(addBody('9000000017', { id: 'my-own-id' })),
  INVALID_TOKEN: async () =>
    search('9000000009', { Authorization: `Bearer ${await signToken(sandboxClaims({ exp: Math.floor(Date.now() / 1000) - 1 }))}` }),
  USER_NOT_AUTHORISED: async () => add(addBody('9000000017'), { Authorization: `Bearer ${await tokenWith(['B0370'])}` }),
  INVALID_BODY: async () => call('/Flag', { method: 'POST', headers: await fgmHeaders(), body: '{"resourceType": "Flag",' }),
  INVALID_ASSESSMENT_DATE: () => add(addBody('9000000017', { period: { start: '2999-01-01' } })),
  REMOVE_STATUS: () => remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID, { status: 'active' })),
  REMOVAL_REASON_CODE: () =>
    remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID, { extension: [{ url: CANONICAL_URL, valueCoding: { system: CANONICAL_SYSTEM, code: '1' } }] })),
  VERSION_MISMATCH: () => remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID), { 'If-Match': 'W/"7"' }),
  NOT_FOUND: async () => call('/Flag/6e0c2f8a-0000-4000-8000-000000000000', { headers: await fgmHeaders() }),
  UNKNOWN_PATH: async () => call('/Patient/9000000009', { headers: await fgmHeaders() }),
  METHOD_NOT_ALLOWED: async () => call(`/Flag/${SEEDED_FLAG_ID}`, { method: 'DELETE', headers: await fgmHeaders() }),
  NOT_ACCEPTABLE: () => search('9000000009', { Accept: 'application/fhir+xml' }),
  BODY_TOO_LARGE: async () =>
    call('/Flag', { method: 'POST', headers: await fgmHeaders(), body: JSON.stringify(addBody('9000000017', { note: 'x'.repeat(70_000) })) }),
  SERVICE_UNAVAILABLE: () => viaApp(failingStore(() => new DependencyUnavailableError('kv'))),
  INTERNAL_ERROR: () => viaApp(failingStore(() => new TypeError('Cannot read properties of undefined (reading "flag:9000000009")'))),
};

describe('[H-08] every catalogue row over HTTP', () => {
  it.each(Object.keys(SPEC_ERRORS) as SpecErrorKey[])('%s', async (key) => {
    // The 503 and 500 rows log their failure (asserted in the error handler's own tests); kept off the test output here.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const before = await flagsSnapshot();
    const response = await TRIGGERS[key]();
    logged.mockRestore();
    expect(response.status).toBe(expectedStatus(key));
    expect(response.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('X-Request-ID')).toMatch(/^[0-9a-f-]{36}$/);
    const text = await response.text();
    const body = JSON.parse(text) as { id: string };
    expect(body).toEqual(expectedOutcome(key, body.id));
    expect(text).not.toContain('9000000009');
    expect(await flagsSnapshot()).toEqual(before);
  });

  it('A1 also for a valid NHS number the directory does not know (9700000001)', async () => {
    const response = await add(addBody('9700000001'));
    expect(await response.json()).toEqual(expectedOutcome('A1', expect.any(String) as unknown as string));
  });

  it('[H-03] A4 also for a patient with no birth date (9000000076)', async () => {
    const response = await add(addBody('9000000076'));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(expectedOutcome('A4', expect.any(String) as unknown as string));
  });

  it('[H-05] R1 also for an already removed flag', async () => {
    expect((await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID))).status).toBe(200);
    const response = await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID));
    expect(await response.json()).toEqual(expectedOutcome('R1', expect.any(String) as unknown as string));
  });

  it('R4 also for a malformed If-Match', async () => {
    const response = await remove(SEEDED_FLAG_ID, removeBody(SEEDED_FLAG_ID), { 'If-Match': '1' });
    expect(await response.json()).toEqual(expectedOutcome('R4', expect.any(String) as unknown as string));
  });

  it('405 names the allowed methods', async () => {
    const flag = await call('/Flag', { method: 'PATCH', headers: await fgmHeaders() });
    expect(flag.headers.get('Allow')).toBe('GET, POST, HEAD');
    const byId = await call(`/Flag/${SEEDED_FLAG_ID}`, { method: 'POST', headers: await fgmHeaders() });
    expect(byId.headers.get('Allow')).toBe('GET, PUT, HEAD');
    const metadata = await call('/metadata', { method: 'POST' });
    expect(metadata.status).toBe(405);
    expect(metadata.headers.get('Allow')).toBe('GET, HEAD');
  });
});
