/**
 * The OpenAPI document's examples, made by the same code the server answers
 * with, from the sandbox fixtures (spec §15) and the legacy example messages
 * (the API's `examples/legacy/*.xml`): the seeded flag, a search hit and miss, an Add
 * for a sandbox girl without a flag, the Remove of the seeded flag, every
 * catalogue row's OperationOutcome and the legacy replies.
 */
import { legacyReply } from '@fgm-is/api/legacy/respond';
import { parseXml } from '@fgm-is/api/legacy/xml';
import {
  type CatalogueEntry,
  FGM_CODE,
  FGM_DISPLAY,
  type FgmFlag,
  LEGACY_ERRORS,
  LEGACY_MAPPING,
  type LegacyErrorKey,
  type LegacyInteraction,
  type LegacyOutcome,
  NHS_NUMBER_SYSTEM,
  REMOVAL_EXTENSION_URLS,
  REMOVAL_REASONS,
  REMOVAL_REASON_SYSTEMS,
  SNOMED_SYSTEM,
  buildActiveFlag,
  buildCapabilityStatement,
  buildRemovedFlag,
  buildSearchBundle,
  eighteenthBirthday,
  informationalOutcome,
  legacyOutcome,
  parseEnvelope,
  toOperationOutcome,
} from '@fgm-is/rules';

/** The sandbox data of spec §15, as the API's `src/sandbox/fixtures.json` holds it. */
interface FixturesInput {
  readonly patients: Readonly<Record<string, { readonly gender?: string; readonly birthDate?: string }>>;
  readonly flags: readonly { id: string; nhsNumber: string; assessmentDate: string; lastUpdated: string }[];
}

/** What the examples are made from. */
export interface ExampleInputs {
  readonly fixtures: FixturesInput;
  /** The legacy example request messages, by interaction. */
  readonly legacyExamples: Readonly<Record<LegacyInteraction, string>>;
  /** The release: the CapabilityStatement's version and date, and "today" of the examples. */
  readonly release: { readonly version: string; readonly date: string };
  /** The base URL of links in the examples. */
  readonly serverUrl: string;
}

/** Fixed ids, so the document is the same every time it is built. */
const IDS = {
  outcome: '5f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
  bundle: '0b6d3b7e-2f4a-4c1d-9e8f-7a6b5c4d3e2f',
  created: '7d9e8f6a-1b2c-4d3e-8f4a-5b6c7d8e9f01',
  requestId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
} as const;

/** @internal A deterministic id source for the legacy replies. */
function counterIds(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${(n++).toString(16).padStart(12, '0')}`;
}

/** The examples, by what they show. */
export function buildExamples(inputs: ExampleInputs) {
  const { fixtures, release, serverUrl } = inputs;
  const now = `${release.date}T09:30:00.000Z`;
  const seeded = fixtures.flags[0];
  if (!seeded) throw new Error('the sandbox fixtures hold no flag');
  const flag = buildActiveFlag(seeded);
  // A girl under 18 with a birth date and no flag: what an Add in the sandbox succeeds for.
  const addable = Object.entries(fixtures.patients).find(
    ([nhsNumber, p]) =>
      p.gender === 'female' &&
      p.birthDate !== undefined &&
      release.date < (eighteenthBirthday(p.birthDate) ?? '') &&
      !fixtures.flags.some((f) => f.nhsNumber === nhsNumber),
  );
  if (!addable) throw new Error('the sandbox fixtures hold no patient an Add succeeds for');
  const [addNhsNumber] = addable;
  const addRequest = {
    resourceType: 'Flag',
    status: 'active',
    code: { coding: [{ system: SNOMED_SYSTEM, code: FGM_CODE, display: FGM_DISPLAY }], text: FGM_DISPLAY },
    subject: { identifier: { system: NHS_NUMBER_SYSTEM, value: addNhsNumber } },
    // The seeded flag's assessment date: a real past date, after every sandbox girl's birth.
    period: { start: seeded.assessmentDate },
  };
  const created = buildActiveFlag({ id: IDS.created, nhsNumber: addNhsNumber, assessmentDate: seeded.assessmentDate, lastUpdated: now });
  const reason = { system: REMOVAL_REASON_SYSTEMS[0], code: '0' } as const;
  const removeRequest = {
    resourceType: 'Flag',
    id: flag.id,
    status: 'entered-in-error',
    extension: [{ url: REMOVAL_EXTENSION_URLS[0], valueCoding: reason }],
  };
  const removed: FgmFlag = buildRemovedFlag(
    flag,
    'entered-in-error',
    { url: REMOVAL_EXTENSION_URLS[0], valueCoding: { ...reason, display: REMOVAL_REASONS[reason.code] } },
    now,
  );
  return {
    flag,
    searchHit: buildSearchBundle({ id: IDS.bundle, lastUpdated: now, baseUrl: serverUrl, nhsNumber: seeded.nhsNumber, match: flag }),
    searchMiss: buildSearchBundle({ id: IDS.bundle, lastUpdated: now, baseUrl: serverUrl, nhsNumber: addNhsNumber, match: undefined }),
    searchNhsNumber: seeded.nhsNumber,
    addRequest,
    created,
    createdOutcome: informationalOutcome('RESOURCE_CREATED', created.id, IDS.outcome),
    removeRequest,
    removed,
    removedOutcome: informationalOutcome('RESOURCE_UPDATED', removed.id, IDS.outcome),
    capability: buildCapabilityStatement({ baseUrl: serverUrl, date: release.date, version: release.version, cors: false }),
    legacy: legacyExamples(inputs, flag, now),
  };
}

/** The OperationOutcome a catalogue row returns (with a fixed id). */
export function errorExample(entry: CatalogueEntry) {
  return toOperationOutcome(entry, IDS.outcome);
}

/**
 * Example diagnostics of the legacy rows that have no fixed text: taken
 * from the second mapping (L-1) where it has the row, else what the
 * gateway says in one common case.
 */
const LEGACY_SAMPLE_DIAGNOSTICS: Readonly<Partial<Record<LegacyErrorKey, string>>> = {
  MESSAGE_NOT_WELL_FORMED: 'The root element must be a FHIR Bundle',
  AUTHOR_CREDENTIALS_ERROR: 'The author Practitioner must carry an sds-user-id and an sds-role-profile-id identifier',
  METHOD_NOT_ALLOWED: 'Only POST is supported',
  BODY_TOO_LARGE: 'Request body too large',
};

/** @internal A legacy row with example diagnostics. */
function legacySample(key: LegacyErrorKey): LegacyOutcome {
  const row = LEGACY_ERRORS[key].key;
  const mapped = Object.values(LEGACY_MAPPING).find((outcome) => outcome?.key === row);
  return legacyOutcome(key, LEGACY_SAMPLE_DIAGNOSTICS[key] ?? mapped?.diagnostics ?? LEGACY_ERRORS[key].display);
}

/** @internal The legacy request messages and the replies the gateway gives them, built by the gateway's own code. */
function legacyExamples(inputs: ExampleInputs, flag: FgmFlag, now: string) {
  const reply = (interaction: LegacyInteraction, options: { outcome?: LegacyOutcome; flag?: FgmFlag } = {}) => {
    const parsed = parseXml(inputs.legacyExamples[interaction]);
    if (!parsed.ok) throw new Error(`the ${interaction} example is not well-formed: ${parsed.refusal}`);
    const { facts } = parseEnvelope(parsed.root, interaction, null);
    return legacyReply({
      interaction,
      facts,
      requestId: IDS.requestId,
      serviceAsid: '200000000000',
      now,
      newId: counterIds('0e1f2a3b-4c5d-4e6f-8a9b'),
      outcome: options.outcome,
      flag: options.flag,
    });
  };
  return {
    requests: inputs.legacyExamples,
    success: { query: reply('query', { flag }), create: reply('create'), delete: reply('delete') },
    error: (interaction: LegacyInteraction, key: LegacyErrorKey) => reply(interaction, { outcome: legacySample(key) }),
    // A method other than POST: the body is never read, so nothing of the request's header is known (L-2, L-8).
    methodNotAllowed: legacyReply({
      interaction: 'query',
      facts: {},
      requestId: IDS.requestId,
      serviceAsid: '200000000000',
      now,
      newId: counterIds('0e1f2a3b-4c5d-4e6f-8a9b'),
      outcome: legacySample('METHOD_NOT_ALLOWED'),
    }),
  };
}
