/**
 * The requests the in-process benchmarks send, built once per kind: the
 * same search, read and Add the HTTP benchmark sends.
 */
export const BASE = 'http://127.0.0.1';
export const SEEDED_FLAG_ID = 'a6a6a92a-8247-4250-b1c7-10cda16f0310';
const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** Head parameters of a fully authorised sandbox call. */
export function fgmHeaders(token: string): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    TraceID: 'bench',
    FromASID: '200000000001',
    ToASID: '200000000000',
    'Content-Type': 'application/fhir+json',
  };
}

/** The R4 Add body for `nhs`, as a supplier would send it. */
export function flagBody(nhs: string): string {
  return JSON.stringify({
    resourceType: 'Flag',
    status: 'active',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '902961000000107' }] },
    subject: { identifier: { system: NHS_SYSTEM, value: nhs } },
    period: { start: '2024-05-01' },
  });
}

export const searchUrl = (nhs: string) => `${BASE}/Flag?patient:identifier=${NHS_SYSTEM}|${nhs}`;
