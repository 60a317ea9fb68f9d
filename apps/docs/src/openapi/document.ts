/**
 * The OpenAPI 3.1 document of the API, generated from what the server is
 * made of: the route declarations that sit with each channel's routes
 * (`@fgm-is/api/routes`, and this Worker's own `../operations.ts`), the
 * rules' valibot schemas (converted), the error catalogue and the legacy
 * error table (every error response lists the rows its operation declares,
 * each as an exact schema and an example), the sandbox fixtures and the
 * legacy example messages. Built at build time (`scripts/build.ts`) and
 * served as it is at `GET /openapi.json`.
 */
import { LEGACY_CONTENT_TYPE } from '@fgm-is/api/legacy/respond';
import {
  EMPTY_BODY_WHEN,
  ERRORS_EXTENSION,
  HEALTH_OPERATIONS,
  LEGACY_DESCRIPTION,
  LEGACY_OPERATIONS,
  type LegacyOperation,
  R4_OPERATIONS,
  ROUTING_ERRORS,
  SERVED_WHEN,
  type ServedWhen,
} from '@fgm-is/api/routes';
import { FHIR_JSON_CONTENT_TYPE, LEGACY_ERRORS, type LegacyErrorKey, type LegacyInteraction, catalogue } from '@fgm-is/rules';
import { DOCS_OPERATIONS } from '../operations.ts';
import {
  LEGACY_REQUEST_MEDIA_TYPES,
  R4_REQUEST_MEDIA_TYPES,
  REQUEST_HEADERS,
  type RequestHeader,
  checkOrderText,
  headerDocumentedAs,
  requestHeadersTable,
} from '../request-headers.ts';
import { type ExampleInputs, buildExamples, errorExample } from './examples.ts';
import { type Json, errorComponent, errorRowSchema, valibotSchemas } from './schemas.ts';

/** The media type of FHIR JSON, without parameters, as the document keys content. */
const FHIR_JSON = FHIR_JSON_CONTENT_TYPE.split(';')[0] as string;
/** The media type of legacy replies, without parameters. */
const LEGACY_XML = LEGACY_CONTENT_TYPE.split(';')[0] as string;

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** @internal The response headers every answer carries (D-3, D-12, D-21). */
const COMMON_HEADERS = {
  'X-Request-ID': ref('headers', 'X-Request-ID'),
  'Cache-Control': ref('headers', 'Cache-Control'),
  'X-Content-Type-Options': ref('headers', 'X-Content-Type-Options'),
  TraceID: ref('headers', 'TraceID'),
  'X-Correlation-ID': ref('headers', 'X-Correlation-ID'),
};

/** @internal A markdown table of catalogue rows. */
function rowsTable(keys: readonly string[]): string {
  const lines = keys.map((key) => {
    const entry = catalogue[key as keyof typeof catalogue];
    return `| ${key} | ${entry.source} | ${entry.code} | ${entry.details} | ${entry.diagnostics} |`;
  });
  return ['| Row | Source | issue.code | details.code | diagnostics |', '|---|---|---|---|---|', ...lines].join('\n');
}

/** @internal The error responses of an R4 operation: one per status, each listing its rows as schema, table and examples. */
function r4ErrorResponses(keys: readonly string[]): Record<string, Json> {
  const byStatus = new Map<number, string[]>();
  for (const key of keys) {
    const { status } = catalogue[key as keyof typeof catalogue];
    byStatus.set(status, [...(byStatus.get(status) ?? []), key]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, rows]) => [
      String(status),
      {
        description: `${status === NOT_ACCEPTABLE_STATUS ? `${headerDocumentedAs('not-acceptable-response').description}\n\n` : ''}An OperationOutcome, one of these catalogue rows:\n\n${rowsTable(rows)}`,
        headers: COMMON_HEADERS,
        content: {
          [FHIR_JSON]: {
            schema: { allOf: [ref('schemas', 'OperationOutcome'), { anyOf: rows.map((key) => ref('schemas', errorComponent(key))) }] },
            examples: Object.fromEntries(rows.map((key) => [key, ref('examples', errorComponent(key))])),
          },
        },
        [ERRORS_EXTENSION]: rows,
      },
    ]),
  );
}

/** The component name of a legacy row's example for an interaction. */
const legacyComponent = (interaction: LegacyInteraction, key: LegacyErrorKey) => `Legacy.${interaction}.${key}`;

/** @internal The error responses of a legacy endpoint, one per status, each listing its rows. */
function legacyErrorResponses(interaction: LegacyInteraction, keys: readonly LegacyErrorKey[]): Record<string, Json> {
  const byStatus = new Map<number, LegacyErrorKey[]>();
  for (const key of keys) byStatus.set(LEGACY_ERRORS[key].status, [...(byStatus.get(LEGACY_ERRORS[key].status) ?? []), key]);
  return Object.fromEntries(
    [...byStatus].map(([status, rows]) => [
      String(status),
      {
        description: [
          'A message Bundle whose OperationOutcome is one of these rows of the legacy error table (the diagnostics say what exactly was wrong):',
          '',
          '| Row | Source | severity | issue type | code | display |',
          '|---|---|---|---|---|---|',
          ...rows.map((key) => {
            const row = LEGACY_ERRORS[key];
            return `| ${row.key} | ${row.source} | ${row.severity} | ${row.issueType} | ${row.code} | ${row.display} |`;
          }),
        ].join('\n'),
        headers: { 'X-Request-ID': ref('headers', 'X-Request-ID'), 'Cache-Control': ref('headers', 'Cache-Control') },
        content: {
          [LEGACY_XML]: {
            schema: ref('schemas', 'LegacyMessageBundle'),
            examples: Object.fromEntries(rows.map((key) => [key, ref('examples', legacyComponent(interaction, key))])),
          },
        },
        [ERRORS_EXTENSION]: rows.map((key) => LEGACY_ERRORS[key].key),
      },
    ]),
  );
}

/** @internal The status of the Accept refusal, whose responses start with what Accept must be (D-12). */
const NOT_ACCEPTABLE_STATUS = catalogue.NOT_ACCEPTABLE.status;

/**
 * @internal The header parameters of an FGM interaction (D-3) and `_format`.
 * Authorization is the bearer security scheme, Content-Type the request
 * body's media types and Accept the responses' (OpenAPI ignores header
 * parameters of those names); their rules are in those descriptions.
 */
const fgmParameters = () => [
  ref('parameters', 'TraceID'),
  ref('parameters', 'FromASID'),
  ref('parameters', 'ToASID'),
  ref('parameters', 'X-Request-ID'),
  ref('parameters', 'X-Correlation-ID'),
  ref('parameters', '_format'),
];

/**
 * @internal A request body of Add or Remove: a Flag in either JSON media type
 * D-3 allows, described by the Content-Type rule (a wrong one is the head
 * parameter error).
 */
function r4RequestBody(schema: Json, examples: Json): Json {
  return {
    required: true,
    description: headerDocumentedAs('r4-request-body').description,
    content: Object.fromEntries(R4_REQUEST_MEDIA_TYPES.map((type) => [type, { schema, examples }])),
  };
}

/** @internal What every legacy endpoint's description adds: the body is XML sent as a string, and so is the reply. */
const LEGACY_BODY_TEXT = `The request body is a FHIR DSTU2 message Bundle in XML, sent as a string (${LEGACY_REQUEST_MEDIA_TYPES.join(', ')}); the response is XML too, a message Bundle with \`Content-Type: ${LEGACY_CONTENT_TYPE}\`.`;

/** @internal A written Flag's response: the Flag, an informational OperationOutcome, or nothing, as `Prefer` asks (D-1). */
function writtenFlag(description: string, flagExample: unknown, outcomeExample: unknown, extraHeaders: Json = {}): Json {
  return {
    description: `${description} The body is the Flag (the default, \`Prefer: return=representation\`), an informational OperationOutcome (\`Prefer: return=OperationOutcome\`) or empty (\`Prefer: return=minimal\`).`,
    headers: { ...COMMON_HEADERS, ...extraHeaders, ETag: ref('headers', 'ETag'), 'Last-Modified': ref('headers', 'Last-Modified') },
    content: {
      [FHIR_JSON]: {
        schema: { oneOf: [ref('schemas', 'Flag'), ref('schemas', 'OperationOutcome')] },
        examples: {
          flag: { summary: 'The Flag (default)', value: flagExample },
          outcome: { summary: 'Prefer: return=OperationOutcome', value: outcomeExample },
        },
      },
    },
    [EMPTY_BODY_WHEN]: 'Prefer: return=minimal',
  };
}

/** The examples the operations show. */
type Examples = ReturnType<typeof buildExamples>;

/** @internal A legacy endpoint's operation: its declaration, its example message and reply, the error rows it declares. */
function legacyOperation(declared: LegacyOperation, ex: Examples): Json {
  const { interaction, success } = declared;
  const message = (example: string) => ({ schema: ref('schemas', 'LegacyMessageBundle'), examples: { sandbox: { value: example } } });
  return {
    tags: ['Legacy messaging'],
    operationId: declared.operationId,
    summary: declared.summary,
    description: `${LEGACY_DESCRIPTION} ${LEGACY_BODY_TEXT}`,
    security: [],
    parameters: [ref('parameters', 'SOAPAction')],
    requestBody: {
      required: true,
      description: headerDocumentedAs('legacy-request-body').description,
      content: Object.fromEntries(LEGACY_REQUEST_MEDIA_TYPES.map((type) => [type, message(ex.legacy.requests[interaction])])),
    },
    responses: {
      [String(success.status)]: {
        description: success.description,
        headers: { 'X-Request-ID': ref('headers', 'X-Request-ID'), 'Cache-Control': ref('headers', 'Cache-Control') },
        content: { [LEGACY_XML]: message(ex.legacy.success[interaction]) },
      },
      ...legacyErrorResponses(interaction, declared.errors),
    },
  };
}

/** What the document is built from. */
export type OpenApiInputs = ExampleInputs;

/** Builds the OpenAPI 3.1 document. Pure: the same inputs give the same document. */
export function buildOpenApiDocument(inputs: OpenApiInputs): Json {
  const ex = buildExamples(inputs);
  const fhir = (schema: Json, examples: Json) => ({ [FHIR_JSON]: { schema, examples } });
  const ok = (description: string, content: Json, headers: Json = {}) => ({ description, headers: { ...COMMON_HEADERS, ...headers }, content });
  const health = { 'application/health+json': { schema: ref('schemas', 'Health') } };

  /** What each operation adds to its declaration: parameters beyond the D-5 head parameters, its request body, its successes. */
  const details: Record<string, { parameters?: Json[]; requestBody?: Json; responses: Json }> = {
    searchFlags: {
      parameters: [ref('parameters', 'patient-identifier')],
      responses: {
        '200': ok(
          'A searchset Bundle of at most one Flag.',
          fhir(ref('schemas', 'SearchBundle'), { hit: { value: ex.searchHit }, miss: { value: ex.searchMiss } }),
        ),
      },
    },
    addFlag: {
      parameters: [ref('parameters', 'Prefer')],
      requestBody: r4RequestBody(ref('schemas', 'AddFlagRequest'), {
        sandbox: { summary: 'A girl in the sandbox directory with no flag', value: ex.addRequest },
      }),
      responses: { '201': writtenFlag('Created.', ex.created, ex.createdOutcome, { Location: ref('headers', 'Location') }) },
    },
    readFlag: {
      responses: {
        '200': ok('The Flag.', fhir(ref('schemas', 'Flag'), { seeded: { value: ex.flag } }), {
          ETag: ref('headers', 'ETag'),
          'Last-Modified': ref('headers', 'Last-Modified'),
        }),
      },
    },
    removeFlag: {
      parameters: [ref('parameters', 'Prefer'), ref('parameters', 'If-Match')],
      requestBody: r4RequestBody(ref('schemas', 'RemoveFlagRequest'), {
        sandbox: { summary: 'The seeded flag, added in error', value: ex.removeRequest },
      }),
      responses: { '200': writtenFlag('Updated.', ex.removed, ex.removedOutcome) },
    },
    capabilities: {
      parameters: [ref('parameters', '_format')],
      responses: { '200': ok('The CapabilityStatement.', fhir(ref('schemas', 'CapabilityStatement'), { sandbox: { value: ex.capability } })) },
    },
    ping: { responses: { '200': ok('Pass.', health) } },
    status: {
      responses: {
        '200': ok('Every dependency answered, and no ledger is refusing writes or holding audit records back (a check may warn).', health),
        '503': ok('Some dependency did not answer, or the write path fails (ledgers refusing writes, audit records not stored).', health),
      },
    },
    openapi: {
      responses: { '200': ok('The OpenAPI 3.1 document of what this deployment serves.', { 'application/json': { schema: { type: 'object' } } }) },
    },
    docsPage: {
      responses: {
        '200': ok('HTML.', { 'text/html': { schema: { type: 'string' } } }, { 'Content-Security-Policy': ref('headers', 'Content-Security-Policy') }),
      },
    },
    docsAsset: {
      parameters: [{ name: 'asset', in: 'path', required: true, schema: { enum: ['style.css', 'app.js'] } }],
      responses: {
        '200': ok('The asset.', { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } } }),
        '404': {
          description: 'No such asset.',
          headers: COMMON_HEADERS,
          content: fhir({ allOf: [ref('schemas', 'OperationOutcome'), ref('schemas', errorComponent(ROUTING_ERRORS.unknownPath))] }, {}),
          [ERRORS_EXTENSION]: [ROUTING_ERRORS.unknownPath],
        },
      },
    },
    sandboxToken: {
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: ref('schemas', 'SandboxTokenRequest'), examples: { clinician: { value: { activities: ['B0380'] } } } },
        },
      },
      responses: { '200': ok('The token.', { 'application/json': { schema: ref('schemas', 'SandboxToken') } }) },
    },
  };
  const detailsOf = (operationId: string) => {
    const found = details[operationId];
    if (!found) throw new Error(`the document says nothing of the declared operation ${operationId}`);
    return found;
  };

  /** An operation object: the declaration's words, then what it adds, then the error rows it declares. */
  const operation = (
    declared: { operationId: string; summary: string; description?: string | undefined },
    tag: string,
    security: Json[],
    parameters: Json[] | undefined,
    errorResponses: Record<string, Json>,
  ) => {
    const { requestBody, responses } = detailsOf(declared.operationId);
    return {
      tags: [tag],
      operationId: declared.operationId,
      summary: declared.summary,
      ...(declared.description === undefined ? {} : { description: declared.description }),
      security,
      ...(parameters === undefined ? {} : { parameters }),
      ...(requestBody === undefined ? {} : { requestBody }),
      responses: { ...responses, ...errorResponses },
    };
  };

  const paths: Record<string, Record<string, unknown>> = {};
  /** Adds an operation at its path (in OpenAPI's `{name}` syntax), with the path's own parameters and when it is served. */
  const place = (path: string, method: string, operationObject: Json, servedWhen?: ServedWhen) => {
    const template = path.replace(/:([A-Za-z]+)/g, '{$1}');
    const item = paths[template] ?? (template.includes('{id}') ? { parameters: [ref('parameters', 'id')] } : {});
    paths[template] = item;
    item[method.toLowerCase()] = operationObject;
    if (servedWhen !== undefined) item[SERVED_WHEN] = servedWhen;
  };

  for (const declared of R4_OPERATIONS) {
    const { interaction } = declared;
    const own = detailsOf(declared.operationId).parameters ?? [];
    place(
      declared.path,
      declared.method,
      interaction === undefined
        ? operation(declared, 'Capability', [], own, r4ErrorResponses(declared.errors))
        : operation(declared, 'Flag', [{ bearer: [] }], [...fgmParameters(), ...own], r4ErrorResponses(declared.errors)),
    );
  }
  for (const declared of LEGACY_OPERATIONS) place(declared.path, declared.method, legacyOperation(declared, ex), declared.servedWhen);
  for (const declared of HEALTH_OPERATIONS) {
    place(declared.path, declared.method, operation(declared, 'Health', [], undefined, r4ErrorResponses(declared.errors)));
  }
  for (const declared of DOCS_OPERATIONS) {
    const own = detailsOf(declared.operationId).parameters;
    place(declared.path, declared.method, operation(declared, declared.tag, [], own, r4ErrorResponses(declared.errors)), declared.servedWhen);
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'FGM-IS FHIR R4 API',
      version: inputs.release.version,
      summary: 'The NHS England Female Genital Mutilation Information Sharing register: search, add and remove the FGM indicator of a child.',
      description: INFO_DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: inputs.serverUrl }],
    tags: [
      { name: 'Flag', description: 'The FGM indicator (a FHIR R4 Flag): search, add, read, remove.' },
      { name: 'Capability', description: 'The FHIR CapabilityStatement.' },
      { name: 'Legacy messaging', description: 'The legacy Spine messaging (FHIR DSTU2, XML) endpoints on the same register.' },
      { name: 'Health', description: 'Health checks (D-22).' },
      { name: 'Documentation', description: 'This document and the documentation page.' },
      { name: 'Sandbox', description: 'Sandbox-only helpers.' },
    ],
    paths,
    components: components(ex),
  };
}

/** @internal Everything the operations refer to. */
function components(ex: Examples): Json {
  const r4Rows = Object.values(catalogue);
  const seededFlagId = ex.flag.id;
  return {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: headerDocumentedAs('security-scheme').description,
      },
    },
    parameters: {
      ...Object.fromEntries(REQUEST_HEADERS.flatMap((h) => (h.documented.as === 'parameter' ? [[h.name, header(h, h.documented)]] : []))),
      _format: { name: '_format', in: 'query', required: false, description: 'Only JSON formats are served (D-24).', schema: { type: 'string' } },
      'patient-identifier': {
        name: 'patient:identifier',
        in: 'query',
        required: true,
        description: 'The NHS number as a token: `https://fhir.nhs.uk/Id/nhs-number|{nhsNumber}`, the number passing Modulus 11 (§9); else 400 S1.',
        schema: { type: 'string', pattern: '^https://fhir\\.nhs\\.uk/Id/nhs-number\\|[0-9]{10}$' },
        example: 'https://fhir.nhs.uk/Id/nhs-number|9000000009',
      },
      id: { name: 'id', in: 'path', required: true, description: 'The Flag’s server id.', schema: { type: 'string' }, example: seededFlagId },
    },
    headers: {
      'X-Request-ID': responseHeader('The request id: yours when it was a UUID, else assigned (D-21). Quote it when reporting a problem.', true),
      'Cache-Control': responseHeader('Always `no-store`.', true),
      'X-Content-Type-Options': responseHeader('Always `nosniff`.', true),
      TraceID: responseHeader('Your TraceID, echoed when well-formed.', false),
      'X-Correlation-ID': responseHeader('Your X-Correlation-ID, echoed when well-formed.', false),
      ETag: responseHeader('The weak ETag of the Flag version, `W/"{versionId}"`.', true),
      'Last-Modified': responseHeader('`meta.lastUpdated` as an HTTP date.', true),
      Location: responseHeader('The new Flag’s URL.', true),
      Allow: responseHeader('The methods the path serves (405 only).', true),
      'Content-Security-Policy': responseHeader('Scripts, styles and requests from this origin only.', true),
    },
    schemas: {
      ...valibotSchemas(),
      CapabilityStatement: {
        type: 'object',
        description: 'A FHIR R4 CapabilityStatement (built by the rules’ `buildCapabilityStatement`).',
        properties: {
          resourceType: { const: 'CapabilityStatement' },
          fhirVersion: { const: '4.0.1' },
          format: { type: 'array', items: { type: 'string' } },
          rest: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              properties: {
                mode: { const: 'server' },
                resource: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' } }, required: ['type'] } },
              },
              required: ['mode', 'resource'],
            },
          },
        },
        required: ['resourceType', 'fhirVersion', 'rest'],
      },
      LegacyMessageBundle: {
        type: 'string',
        contentMediaType: LEGACY_XML,
        description: 'A FHIR DSTU2 message Bundle in XML (legacy contract L§2).',
      },
      ...Object.fromEntries(r4Rows.map((entry) => [errorComponent(entry.key), errorRowSchema(entry)])),
    },
    responses: {
      UnknownPath: routingResponse(ROUTING_ERRORS.unknownPath, 'Any path this service does not serve (D-12).'),
      MethodNotAllowed: {
        ...routingResponse(ROUTING_ERRORS.methodNotAllowed, 'A method a known path does not serve (D-12); `Allow` lists those it does.'),
        headers: { ...COMMON_HEADERS, Allow: ref('headers', 'Allow') },
      },
      LegacyMethodNotAllowed: {
        description: 'Any method but POST on a legacy endpoint (L-2): a message Bundle, with `Allow: POST`.',
        headers: { 'X-Request-ID': ref('headers', 'X-Request-ID'), Allow: ref('headers', 'Allow') },
        content: {
          [LEGACY_XML]: {
            schema: ref('schemas', 'LegacyMessageBundle'),
            examples: { methodNotAllowed: { summary: 'GET /fhir/fgm/query', value: ex.legacy.methodNotAllowed } },
          },
        },
        [ERRORS_EXTENSION]: [LEGACY_ERRORS.METHOD_NOT_ALLOWED.key],
      },
    },
    examples: {
      ...Object.fromEntries(
        r4Rows.map((entry) => [errorComponent(entry.key), { summary: `${entry.key}: ${entry.diagnostics}`, value: errorExample(entry) }]),
      ),
      ...legacyExampleComponents(ex),
    },
  };
}

/** @internal The examples of the legacy rows, one per endpoint and row: the reply to that endpoint's example message. */
function legacyExampleComponents(ex: Examples): Json {
  return Object.fromEntries(
    LEGACY_OPERATIONS.flatMap(({ interaction, errors }) =>
      errors.map((key) => [
        legacyComponent(interaction, key),
        { summary: `${LEGACY_ERRORS[key].key}: ${LEGACY_ERRORS[key].display}`, value: ex.legacy.error(interaction, key) },
      ]),
    ),
  );
}

/** @internal A request header parameter, in the words of {@link REQUEST_HEADERS}. */
function header(h: RequestHeader, documented: { required: boolean; schema: Readonly<Json> }): Json {
  return { name: h.name, in: 'header', required: documented.required, description: h.description, schema: documented.schema };
}

/** @internal A Markdown table cell: a pipe escaped. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

/** @internal The request headers as a Markdown table: the rows the docs page shows, in the same words. */
function requestHeadersMarkdown(): string {
  const { head, rows } = requestHeadersTable();
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** @internal A response header. */
function responseHeader(description: string, required: boolean): Json {
  return { description, required, schema: { type: 'string' } };
}

/** @internal The response of a routing row (unknown path, method not allowed). */
function routingResponse(key: keyof typeof catalogue, description: string): Json {
  return {
    description: `${description}\n\n${rowsTable([key])}`,
    headers: COMMON_HEADERS,
    content: {
      [FHIR_JSON]: {
        schema: { allOf: [ref('schemas', 'OperationOutcome'), ref('schemas', errorComponent(key))] },
        examples: { [key]: ref('examples', errorComponent(key)) },
      },
    },
    [ERRORS_EXTENSION]: [key],
  };
}

/** @internal The document's introduction (markdown). */
const INFO_DESCRIPTION = `FGM-IS tells clinicians whether a girl under 18 has a family history of female genital mutilation, so that she can be safeguarded. Clinical systems search for the indicator (a FHIR R4 \`Flag\`) by NHS number, add it, and remove it with a reason; a legacy Spine messaging gateway (FHIR DSTU2, XML) serves the same register.

Every Flag interaction needs \`Authorization: Bearer {JWT}\` (the \`bearer\` security scheme), \`TraceID\`, \`FromASID\` and \`ToASID\` (and \`Content-Type: application/fhir+json\` on POST and PUT: the request body's media type). ${checkOrderText()} Each error response below lists the rows it can return.

Request headers (the docs page shows the same table):

${requestHeadersMarkdown()}

HEAD is served wherever GET is. A method a path does not serve is \`#/components/responses/MethodNotAllowed\` (405, or \`LegacyMethodNotAllowed\` on the legacy endpoints); a path this service does not serve is \`#/components/responses/UnknownPath\` (404). Every response carries \`X-Request-ID\`, \`Cache-Control: no-store\` and \`X-Content-Type-Options: nosniff\`, and echoes a well-formed \`TraceID\` and \`X-Correlation-ID\`.`;
