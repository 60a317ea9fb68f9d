/**
 * The CapabilityStatement served at `/metadata` (D-12).
 */
import { NHS_NUMBER_SYSTEM } from '../flag/index.ts';
import { SEARCH_PARAMETER } from '../search/index.ts';

/** Inputs of {@link buildCapabilityStatement}. */
export interface CapabilityInput {
  /** The service base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The date this version of the statement was published (the release date, ISO `YYYY-MM-DD`). */
  readonly date: string;
  /** The software version. */
  readonly version: string;
  /** Whether the server sends CORS headers (some browser origins are configured). */
  readonly cors: boolean;
}

/** Builds the FHIR R4 CapabilityStatement of the FGM-IS API. */
export function buildCapabilityStatement(input: CapabilityInput) {
  return {
    resourceType: 'CapabilityStatement',
    id: 'fgm-is-api',
    url: `${input.baseUrl}/metadata`,
    version: input.version,
    name: 'FGMInformationSharingAPI',
    title: 'FGM-IS FHIR R4 API',
    status: 'active',
    experimental: false,
    date: input.date,
    publisher: 'FGM-IS reference implementation',
    description:
      'Female Genital Mutilation Information Sharing (FGM-IS): search for, add and remove the family-history-of-FGM indicator (a Flag) of a child under 18, by NHS number.',
    kind: 'instance',
    software: { name: 'fgm-is-api', version: input.version },
    implementation: { description: 'FGM-IS FHIR R4 API', url: input.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: input.cors,
          description:
            'Bearer JWT (user-restricted, RBAC activities in the `activities` claim) plus the TraceID, FromASID and ToASID headers on every Flag interaction.',
        },
        resource: [
          {
            type: 'Flag',
            profile: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Flag',
            interaction: [
              { code: 'search-type', documentation: 'Find the active FGM indicator of a patient by NHS number.' },
              { code: 'create', documentation: 'Add an FGM indicator (201 Created).' },
              { code: 'update', documentation: 'Remove an FGM indicator: set status inactive or entered-in-error with a removal reason.' },
              { code: 'read', documentation: 'Read a Flag by its server id.' },
            ],
            versioning: 'versioned-update',
            readHistory: false,
            updateCreate: false,
            conditionalCreate: false,
            conditionalUpdate: false,
            conditionalDelete: 'not-supported',
            searchParam: [
              {
                name: 'patient',
                type: 'reference',
                documentation: `Used only as \`${SEARCH_PARAMETER}=${NHS_NUMBER_SYSTEM}|{nhsNumber}\` (the :identifier modifier).`,
              },
            ],
          },
        ],
      },
    ],
  } as const;
}
