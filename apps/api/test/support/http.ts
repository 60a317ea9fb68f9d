/**
 * Calling the Worker as a client would: sandbox head parameters, bodies,
 * and exact OperationOutcome assertions.
 */
import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { checkResponse } from './contract.ts';
import { tokenWith } from './tokens.ts';

/** Base URL the tests call the Worker on. */
export const BASE = 'https://fgm.test';
export const SEARCH_PATH = '/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|';
export const SEEDED_FLAG_ID = 'a6a6a92a-8247-4250-b1c7-10cda16f0310';
export const TRACE_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** Head parameters of a fully authorised sandbox call, with overrides (undefined removes a header). */
export async function fgmHeaders(overrides: Record<string, string | undefined> = {}): Promise<Headers> {
  const values: Record<string, string | undefined> = {
    Authorization: `Bearer ${await tokenWith(['B0999'])}`,
    TraceID: TRACE_ID,
    FromASID: '200000000001',
    ToASID: '200000000000',
    'Content-Type': 'application/fhir+json',
    ...overrides,
  };
  const headers = new Headers();
  for (const [name, value] of Object.entries(values)) if (value !== undefined) headers.set(name, value);
  return headers;
}

/**
 * Calls the Worker through its real fetch handler (the `main` module's
 * default export). Every response is checked against the OpenAPI document
 * (`./contract.ts`): one it does not describe fails the test.
 */
export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await exports.default.fetch(`${BASE}${path}`, init);
  await checkResponse(init.method ?? 'GET', `${BASE}${path}`, response);
  return response;
}

/** A valid Add body for an NHS number. */
export function addBody(nhsNumber: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Flag',
    status: 'active',
    code: {
      coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }],
      text: 'Family history of FGM (female genital mutilation)',
    },
    subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber } },
    period: { start: '2024-05-01' },
    ...overrides,
  };
}

/** A valid Remove body (canonical extension form) for a flag id. */
export function removeBody(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...addBody('9000000009'),
    id,
    status: 'entered-in-error',
    extension: [
      {
        url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
        valueCoding: { system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason', code: '0' },
      },
    ],
    ...overrides,
  };
}

export async function search(nhsNumber: string, headers?: Record<string, string | undefined>): Promise<Response> {
  return call(`${SEARCH_PATH}${nhsNumber}`, { headers: await fgmHeaders(headers) });
}

export async function add(body: unknown, headers?: Record<string, string | undefined>): Promise<Response> {
  return call('/Flag', { method: 'POST', headers: await fgmHeaders(headers), body: JSON.stringify(body) });
}

export async function remove(id: string, body: unknown, headers?: Record<string, string | undefined>): Promise<Response> {
  return call(`/Flag/${id}`, { method: 'PUT', headers: await fgmHeaders(headers), body: JSON.stringify(body) });
}

export async function read(id: string, headers?: Record<string, string | undefined>): Promise<Response> {
  return call(`/Flag/${id}`, { headers: await fgmHeaders(headers) });
}

/** The total of a searchset. */
export async function searchTotal(nhsNumber: string): Promise<number> {
  const response = await search(nhsNumber);
  expect(response.status).toBe(200);
  return ((await response.json()) as { total: number }).total;
}
