/**
 * Builders of valid inputs, each test changing one thing.
 *
 * @internal Test support only; not exported from the package.
 */
import type { FlagRecord } from '../flag/index.ts';

export const TODAY = '2026-11-21';
export const NOW = '2026-11-21T10:00:00.000Z';
export const FLAG_ID = '6f1c1d8e-6c55-4d0a-9a40-3f7a3c2f0b11';

/** A valid Add body for 9000000017, as a supplier would send it. */
export function validAddBody(): Record<string, unknown> {
  return {
    resourceType: 'Flag',
    status: 'active',
    code: {
      coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }],
      text: 'Family history of FGM (female genital mutilation)',
    },
    subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000017' } },
    period: { start: '2019-12-10' },
  };
}

/** A stored active flag record for 9000000009 (version 1). */
export function activeRecord(overrides: Partial<FlagRecord['flag']> = {}): FlagRecord {
  return {
    nhsNumber: '9000000009',
    agesOutOn: '2033-06-01',
    flag: {
      resourceType: 'Flag',
      id: FLAG_ID,
      meta: { versionId: '1', lastUpdated: '2026-01-01T00:00:00.000Z' },
      status: 'active',
      code: {
        coding: [{ system: 'http://snomed.info/sct', code: '902961000000107', display: 'Family history of FGM (female genital mutilation)' }],
        text: 'Family history of FGM (female genital mutilation)',
      },
      subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' } },
      period: { start: '2019-12-10' },
      ...overrides,
    },
  };
}

/** A valid Remove body for {@link FLAG_ID} in the canonical extension form. */
export function validRemoveBody(): Record<string, unknown> {
  return {
    ...validAddBody(),
    id: FLAG_ID,
    status: 'entered-in-error',
    extension: [
      {
        url: 'https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason',
        valueCoding: { system: 'https://fhir.nhs.uk/England/CodeSystem/England-FGMRemovalReason', code: '0' },
      },
    ],
  };
}

/** A `{ get(name) }` header source over a plain object (case-insensitive, like `Headers`). */
export function headers(values: Record<string, string | undefined>): { get(name: string): string | null } {
  const lower = new Map(Object.entries(values).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), v] as const])));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}
