/**
 * The request headers, written once: what each is, when it is needed, and
 * what refuses it (D-3, D-4, D-5, D-9, D-12, D-21, L-2, L-3). The OpenAPI
 * document (`./openapi/document.ts`) and the docs page (`./page-html.ts`)
 * are both made from these words, so they cannot disagree; the refusals are
 * the rules' catalogue rows. Each header says where the document carries
 * its words: a header parameter, the bearer security scheme (OpenAPI
 * ignores a header parameter named Authorization, Content-Type or Accept),
 * a request body's description (Content-Type), or the 406 responses
 * (Accept). The texts are plain: the page shows them as they are, and the
 * document's Markdown reads them the same.
 */
import { guardOrderText } from '@fgm-is/api/routes';
import { type CatalogueEntry, LEGACY_ERRORS, MAX_BODY_BYTES, asidError, catalogue, headParameterError } from '@fgm-is/rules';
import type { Table } from './catalogue-table.ts';

/** A JSON Schema of a header's value. */
type Schema = Readonly<Record<string, unknown>>;

/** Where the OpenAPI document carries a header's words. */
export type DocumentedAs =
  /** A header parameter (`#/components/parameters/{name}`) of the operations it applies to. */
  | { readonly as: 'parameter'; readonly required: boolean; readonly schema: Schema }
  /** The description of the bearer security scheme (Authorization). */
  | { readonly as: 'security-scheme' }
  /** The description of the Add and Remove request bodies (their media types are the body's `content`). */
  | { readonly as: 'r4-request-body' }
  /** The description of the legacy endpoints' request bodies. */
  | { readonly as: 'legacy-request-body' }
  /** The start of every 406 response's description (the media types a response can have are its `content`). */
  | { readonly as: 'not-acceptable-response' };

/** One request header. */
export interface RequestHeader {
  /** The header's name. */
  readonly name: string;
  /** How the page's table shows it: the name, with its value's form when that helps. */
  readonly shown: string;
  /** When it is sent. */
  readonly when: string;
  /** What it is and what refuses it (plain text). */
  readonly description: string;
  readonly documented: DocumentedAs;
}

/** The media types of an Add or Remove body (D-3); a charset, when given, must be UTF-8. */
export const R4_REQUEST_MEDIA_TYPES = ['application/fhir+json', 'application/json'] as const;

/** The media types of a legacy message (L-2); a charset, when given, must be UTF-8. */
export const LEGACY_REQUEST_MEDIA_TYPES = ['application/xml+fhir', 'application/fhir+xml', 'text/xml', 'application/xml'] as const;

/** @internal A catalogue row as a client meets it: status, Spine code and diagnostics. */
const refusal = (entry: Pick<CatalogueEntry, 'status' | 'details' | 'diagnostics'>) => `${entry.status} ${entry.details} "${entry.diagnostics}"`;

/** @internal The head-parameter refusal (S2, A8 and R4 say the same, D-3). */
const HEAD = refusal(headParameterError('search'));

/** @internal A list in words: `a, b, c or d`. */
const or = (items: readonly string[]) => `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/** The 12-digit ASID schema (D-4). */
const ASID: Schema = { type: 'string', pattern: '^[0-9]{12}$', examples: ['200000000001'] };

const KIB = MAX_BODY_BYTES / 1024;

/** Every request header, in the order the page lists them. */
export const REQUEST_HEADERS: readonly RequestHeader[] = [
  {
    name: 'Authorization',
    shown: 'Authorization: Bearer {JWT}',
    when: 'every Flag interaction',
    description: [
      'The user’s access token: the word Bearer (in any case, D-16), one space, then a JWT as a compact JWS (three dot-separated base64url segments; the signature may be empty).',
      `Missing or malformed: ${HEAD} (D-3).`,
      `Well shaped but not verifying (alg none included), expired, or lacking a required claim: ${refusal(catalogue.INVALID_TOKEN)} (D-5, D-17).`,
      'Claims: iss and aud as configured, sub, exp (at most 12 hours ahead) and the RBAC activity codes in activities; in the sandbox B0370 allows search and read, B0380 also add and remove.',
      `A token whose activities do not allow the interaction: ${refusal(catalogue.USER_NOT_AUTHORISED)} (D-5).`,
      'The sandbox signs HS256 with its published secret (npm run token); a deployment may verify RS256 or ES256 against a JWKS.',
    ].join(' '),
    documented: { as: 'security-scheme' },
  },
  {
    name: 'TraceID',
    shown: 'TraceID',
    when: 'every Flag interaction',
    description: `Your reference for this request, echoed back unchanged; a UUID is recommended. 1 to 128 visible ASCII characters; missing or otherwise: ${HEAD} (D-3).`,
    documented: { as: 'parameter', required: true, schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[!-~]+$' } },
  },
  {
    name: 'FromASID',
    shown: 'FromASID',
    when: 'every Flag interaction',
    description: `Your system’s Accredited System ID, exactly 12 digits; missing or otherwise: ${HEAD} (D-3). Well formed but not allowed the interaction by the ASID allow-list: ${refusal(asidError('search'))} (D-4).`,
    documented: { as: 'parameter', required: true, schema: ASID },
  },
  {
    name: 'ToASID',
    shown: 'ToASID',
    when: 'every Flag interaction',
    description: `This service’s ASID (200000000000 in the sandbox), exactly 12 digits; missing or otherwise: ${HEAD} (D-3). Well formed but not this service’s: ${refusal(asidError('search'))} (D-4).`,
    documented: { as: 'parameter', required: true, schema: ASID },
  },
  {
    name: 'Content-Type',
    shown: 'Content-Type: application/fhir+json',
    when: 'POST and PUT',
    description: [
      `The body’s media type: ${or(R4_REQUEST_MEDIA_TYPES)}, in any case, with parameters such as charset=utf-8 or fhirVersion=4.0 allowed (a charset must be UTF-8).`,
      `It is a head parameter: missing or any other media type is ${HEAD} (D-3).`,
      `The body, a Flag in FHIR JSON, is at most ${KIB} KiB, else ${refusal(catalogue.BODY_TOO_LARGE)} (D-12, D-23).`,
    ].join(' '),
    documented: { as: 'r4-request-body' },
  },
  {
    name: 'Accept',
    shown: 'Accept',
    when: 'optional',
    description: `Absent, or admitting FHIR JSON: application/fhir+json, application/json or a wildcard. Anything else is ${refusal(catalogue.NOT_ACCEPTABLE)} (D-12), as is a _format query parameter naming anything but JSON (D-24). Every JSON response is application/fhir+json; charset=utf-8.`,
    documented: { as: 'not-acceptable-response' },
  },
  {
    name: 'Prefer',
    shown: 'Prefer: return=minimal | representation | OperationOutcome',
    when: 'optional, POST and PUT',
    description:
      'What a successful Add or Remove returns: return=representation the Flag (the default), return=minimal an empty body, return=OperationOutcome an informational OperationOutcome (D-1). An unknown return value is ignored.',
    documented: { as: 'parameter', required: false, schema: { enum: ['return=representation', 'return=minimal', 'return=OperationOutcome'] } },
  },
  {
    name: 'If-Match',
    shown: 'If-Match: W/"{versionId}"',
    when: 'optional, PUT',
    description: `Remove only this version: W/"{versionId}", "{versionId}", or * for any. A stale one: ${refusal(catalogue.VERSION_MISMATCH)}; a malformed one: ${refusal(headParameterError('remove'))} (D-9).`,
    documented: { as: 'parameter', required: false, schema: { type: 'string', examples: ['W/"1"'] } },
  },
  {
    name: 'X-Request-ID',
    shown: 'X-Request-ID',
    when: 'optional',
    description:
      'Your request id: mirrored back when it is a UUID, otherwise the server assigns one (D-21). Every response carries X-Request-ID; quote it when reporting a problem.',
    documented: { as: 'parameter', required: false, schema: { type: 'string', format: 'uuid' } },
  },
  {
    name: 'X-Correlation-ID',
    shown: 'X-Correlation-ID',
    when: 'optional',
    description: 'Echoed back when well formed, like TraceID (D-21).',
    documented: { as: 'parameter', required: false, schema: { type: 'string' } },
  },
  {
    name: 'Content-Type',
    shown: 'Content-Type: application/xml+fhir',
    when: 'legacy messaging',
    description: [
      `The body is a FHIR DSTU2 message Bundle in XML, sent as a string, its media type ${or(LEGACY_REQUEST_MEDIA_TYPES)} (parameters allowed; a charset must be UTF-8).`,
      `Any other media type, an empty body or XML that does not parse: ${LEGACY_ERRORS.MESSAGE_NOT_WELL_FORMED.status} ${LEGACY_ERRORS.MESSAGE_NOT_WELL_FORMED.code};`,
      `over ${KIB} KiB: ${LEGACY_ERRORS.BODY_TOO_LARGE.status} ${LEGACY_ERRORS.BODY_TOO_LARGE.code} "Request body too large" (L-2).`,
      'The response is XML too, a message Bundle (Content-Type: application/xml+fhir; charset=utf-8).',
    ].join(' '),
    documented: { as: 'legacy-request-body' },
  },
  {
    name: 'SOAPAction',
    shown: 'SOAPAction',
    when: 'optional, legacy messaging',
    description: `The interaction’s action, such as "urn:nhs:names:services:clinicals-sync:FGMCreate_1_0" (quotes optional; a : or / before the action name). When sent it must name the endpoint’s own action, else ${LEGACY_ERRORS.MESSAGE_NOT_WELL_FORMED.status} ${LEGACY_ERRORS.MESSAGE_NOT_WELL_FORMED.code} (L-3); an empty one counts as absent (L-11).`,
    documented: { as: 'parameter', required: false, schema: { type: 'string' } },
  },
];

/** The one header documented in a given place (throws when there is not exactly one). */
export function headerDocumentedAs(as: DocumentedAs['as']): RequestHeader {
  const found = REQUEST_HEADERS.filter((header) => header.documented.as === as);
  if (found.length !== 1) throw new Error(`${found.length} request headers are documented as ${as}`);
  return found[0] as RequestHeader;
}

/**
 * The order every Flag interaction's checks run in, with each check's
 * refusal (D-5), and what every error is: the document's introduction and
 * the page's Headers section both say it in these words.
 */
export function checkOrderText(): string {
  return `The checks run in the order of D-5: ${guardOrderText()}, then, on POST and PUT, body size (${catalogue.BODY_TOO_LARGE.status}) and the interaction’s own rules; only the first failure is returned. Every error is a FHIR OperationOutcome with the Spine code and the exact diagnostics of the error catalogue (spec §8).`;
}

/** The page's Headers table (and the document's): the header, when, what. */
export function requestHeadersTable(): Table {
  return { head: ['Header', 'When', 'What'], rows: REQUEST_HEADERS.map((header) => [header.shown, header.when, header.description]) };
}
