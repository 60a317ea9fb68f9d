/**
 * Builders of valid inputs, each test changing one thing.
 *
 * @internal Test support only; not exported from the package.
 */
import type { FlagRecord } from '../flag/index.ts';
import type { XmlElement } from '../legacy/message.ts';

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

/** A FHIR XML element for legacy tests: `el('Bundle', {}, [v('type', 'message')])`. */
export function el(name: string, attributes: Record<string, string> = {}, children: XmlElement[] = [], fhir = true): XmlElement {
  return { name, fhir, attributes, children };
}

/** A FHIR primitive element: `<name value="…"/>`. */
export function v(name: string, value: string): XmlElement {
  return el(name, { value });
}

/** A resource as a Bundle entry: `<entry><resource><…/></resource></entry>`. */
export function entry(resource: XmlElement): XmlElement {
  return el('entry', {}, [el('resource', {}, [resource])]);
}

/** A legacy request message for a path's event, with the focus and author given. */
export function legacyMessage(options: {
  event: string;
  focus: XmlElement;
  author?: XmlElement | undefined;
  header?: (children: XmlElement[]) => XmlElement[];
  extra?: XmlElement[];
}): XmlElement {
  const focusType = options.focus.name;
  const focusId = options.focus.children.find((c) => c.name === 'id')?.attributes.value ?? '';
  const authorId = options.author?.children.find((c) => c.name === 'id')?.attributes.value;
  const header = [
    v('id', 'msg-1'),
    v('timestamp', '2026-11-21T10:00:00+00:00'),
    el('event', {}, [
      v('system', 'http://fhir.nhs.net/ValueSet/message-event-2-0'),
      v('code', `urn:nhs:names:services:clinicals-sync:${options.event}`),
    ]),
    el('source', {}, [v('name', 'Test Trust'), v('endpoint', 'urn:nhs:addressing:asid:200000000001')]),
    el('destination', {}, [v('endpoint', 'urn:nhs:addressing:asid:200000000000')]),
    ...(authorId ? [el('author', {}, [v('reference', `Practitioner/${authorId}`)])] : []),
    el('data', {}, [v('reference', `${focusType}/${focusId}`)]),
  ];
  return el('Bundle', {}, [
    v('id', 'bundle-1'),
    v('type', 'message'),
    entry(el('MessageHeader', {}, options.header ? options.header(header) : header)),
    entry(options.focus),
    ...(options.author ? [entry(options.author)] : []),
    ...(options.extra ?? []).map(entry),
  ]);
}

/** A Practitioner with both SDS identifiers (L-4). */
export function practitioner(ids: { user?: string; role?: string } = { user: '555555555555', role: '555555555666' }): XmlElement {
  const identifier = (system: string, value: string) => el('identifier', {}, [v('system', system), v('value', value)]);
  return el('Practitioner', {}, [
    v('id', 'prac-1'),
    ...(ids.user ? [identifier('http://fhir.nhs.net/Id/sds-user-id', ids.user)] : []),
    ...(ids.role ? [identifier('http://fhir.nhs.net/Id/sds-role-profile-id', ids.role)] : []),
  ]);
}

/** A Parameters resource from name/value pairs (valueString), plus extra parameter elements. */
export function parameters(pairs: [string, string][], extra: XmlElement[] = []): XmlElement {
  return el('Parameters', {}, [
    v('id', 'params-1'),
    ...pairs.map(([name, value]) => el('parameter', {}, [v('name', name), v('valueString', value)])),
    ...extra,
  ]);
}
