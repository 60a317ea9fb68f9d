/**
 * The supplier guide's collection of requests (`docs/suppliers/fgm-is.http`,
 * for VS Code's REST Client; JetBrains' HTTP client reads the same requests),
 * generated from the OpenAPI document's sandbox examples
 * (`npm run docs:requests`; `--check` only says whether the file is up to date).
 *
 * Run in the order written against `npm start`, it leaves the sandbox as it
 * found it: the Remove and the legacy delete act on the flags the Add and the
 * legacy create just made, never on the seeded flag of 9000000009.
 */
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../src/openapi/document.ts';
import { writeOrCheckGenerated } from './generated-file.ts';
import { openApiInputs } from './openapi-inputs.ts';

type Json = Record<string, unknown>;
interface Operation {
  readonly operationId: string;
  readonly summary?: string;
  readonly requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> };
}

const SEEDED_FLAG_ID = 'a6a6a92a-8247-4250-b1c7-10cda16f0310';

/** @internal The sandbox example (else the first) of an operation's request body for a media type. */
function example(document: Json, path: string, method: string, mediaType: string): unknown {
  const operation = (document.paths as Record<string, Record<string, Operation>>)[path]?.[method];
  const examples = operation?.requestBody?.content[mediaType]?.examples ?? {};
  const value = (examples.sandbox ?? Object.values(examples)[0])?.value;
  if (value === undefined) throw new Error(`no sandbox example for ${method.toUpperCase()} ${path} (${mediaType})`);
  return value;
}

/** @internal An operation's summary, for the request's comment line. */
function summaryOf(document: Json, path: string, method: string): string {
  return (document.paths as Record<string, Record<string, Operation>>)[path]?.[method]?.summary ?? '';
}

/** The collection, from an OpenAPI document built by this workspace. */
export function renderHttpCollection(document: Json): string {
  const r4Headers = ['Authorization: Bearer {{token}}', 'TraceID: {{$guid}}', 'FromASID: {{fromAsid}}', 'ToASID: {{toAsid}}'];
  const request = (name: string, path: string, method: string, lines: string[], body?: string) =>
    [`### ${summaryOf(document, path, method) || name}`, `# @name ${name}`, ...lines, ...(body === undefined ? [] : ['', body]), ''].join('\n');
  const add = JSON.stringify(example(document, '/Flag', 'post', 'application/fhir+json'), null, 2);
  const remove = JSON.stringify(example(document, '/Flag/{id}', 'put', 'application/fhir+json'), null, 2).replace(
    SEEDED_FLAG_ID,
    '{{add.response.body.$.id}}',
  );
  const legacy = (kind: 'query' | 'create' | 'delete') => {
    const xml = String(example(document, `/fhir/fgm/${kind}`, 'post', 'application/xml+fhir'));
    // The delete example removes 9000000009's seeded flag; here it removes the flag the legacy create above made.
    return kind === 'delete'
      ? xml.replace(/(NHSNumber"\/>\s*<valueString value=")9000000009/, '$19000000084').replace(/9000000009/g, '9000000084')
      : xml;
  };
  return [
    '# FGM-IS requests for suppliers: generated from the OpenAPI document by `npm run docs:requests` (do not edit).',
    '# VS Code REST Client (or JetBrains HTTP client). Start the sandbox (`npm start`), then send the requests in order:',
    '# the Remove and the legacy delete act on the flags made just before them, never on the seeded flag of 9000000009.',
    '# Sandbox values only (spec §15); the token comes from the sandbox token route, which exists only in the sandbox.',
    '',
    '@baseUrl = http://127.0.0.1:8787',
    '@fromAsid = 200000000001',
    '@toAsid = 200000000000',
    '@token = {{sandboxToken.response.body.$.access_token}}',
    '',
    request(
      'sandboxToken',
      '/_sandbox/token',
      'post',
      ['POST {{baseUrl}}/_sandbox/token', 'Content-Type: application/json'],
      JSON.stringify(example(document, '/_sandbox/token', 'post', 'application/json')),
    ),
    request('ping', '/_ping', 'get', ['GET {{baseUrl}}/_ping']),
    request('capabilities', '/metadata', 'get', ['GET {{baseUrl}}/metadata']),
    request('search', '/Flag', 'get', ['GET {{baseUrl}}/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number%7C9000000009', ...r4Headers]),
    request(
      'add',
      '/Flag',
      'post',
      ['POST {{baseUrl}}/Flag', ...r4Headers, 'Content-Type: application/fhir+json', 'Prefer: return=representation'],
      add,
    ),
    request('read', '/Flag/{id}', 'get', ['GET {{baseUrl}}/Flag/{{add.response.body.$.id}}', ...r4Headers]),
    request(
      'remove',
      '/Flag/{id}',
      'put',
      [
        'PUT {{baseUrl}}/Flag/{{add.response.body.$.id}}',
        ...r4Headers,
        'Content-Type: application/fhir+json',
        'If-Match: {{add.response.headers.ETag}}',
      ],
      remove,
    ),
    request(
      'legacyQuery',
      '/fhir/fgm/query',
      'post',
      ['POST {{baseUrl}}/fhir/fgm/query', 'Content-Type: application/xml+fhir; charset=utf-8'],
      legacy('query'),
    ),
    request(
      'legacyCreate',
      '/fhir/fgm/create',
      'post',
      ['POST {{baseUrl}}/fhir/fgm/create', 'Content-Type: application/xml+fhir; charset=utf-8'],
      legacy('create'),
    ),
    request(
      'legacyDelete',
      '/fhir/fgm/delete',
      'post',
      ['POST {{baseUrl}}/fhir/fgm/delete', 'Content-Type: application/xml+fhir; charset=utf-8'],
      legacy('delete'),
    ),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = fileURLToPath(new URL('../../../docs/suppliers/fgm-is.http', import.meta.url));
  const expected = renderHttpCollection(buildOpenApiDocument(openApiInputs()) as unknown as Json);
  writeOrCheckGenerated(path, 'docs/suppliers/fgm-is.http', 'npm run docs:requests', expected);
}
