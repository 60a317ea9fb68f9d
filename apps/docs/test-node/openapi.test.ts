/**
 * The OpenAPI document, as `npm run openapi` writes it and the Worker
 * serves it: valid OpenAPI 3.1 for an independent validator
 * (@readme/openapi-parser), every schema compiling under Ajv's strict mode
 * as OpenAPI tools run it, no header parameter OpenAPI says tools ignore,
 * request bodies in every media type the contract allows, every catalogue
 * row and legacy row documented, every example valid against its own schema.
 */
import { Validator } from '@cfworker/json-schema';
import { ERRORS_EXTENSION, LEGACY_OPERATIONS, R4_OPERATIONS } from '@fgm-is/api/routes';
import { LEGACY_ERRORS, catalogueEntries, isJsonContentType, isLegacyXmlContentType } from '@fgm-is/rules';
import { validate } from '@readme/openapi-parser';
import addFormats from 'ajv-formats';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { openApiInputs } from '../scripts/openapi-inputs.ts';
import { buildOpenApiDocument } from '../src/openapi/document.ts';

type Json = Record<string, unknown>;

/** An operation of the document, as these tests read it. */
interface Operation {
  tags?: string[];
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Json[];
  requestBody?: { description?: string; content: Record<string, MediaType> };
  responses?: Record<string, Json>;
}
/** A media type object of the document. */
interface MediaType {
  schema?: Json;
  examples?: Record<string, { value?: unknown; $ref?: string }>;
}

const document = buildOpenApiDocument(openApiInputs()) as Json & {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Json>;
    examples: Record<string, { value: unknown }>;
    responses: Record<string, Json>;
    parameters: Record<string, Json>;
    headers: Record<string, Json>;
    securitySchemes: Record<string, Json>;
  };
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of the document, with where it is. */
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, operation]) => ({ where: `${method.toUpperCase()} ${path}`, path, method, operation })),
);

/** Follows a `#/components/…` reference of the document; anything else is returned as it is. */
function resolve<T>(value: T | { $ref: string }): T {
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref !== 'string') return value as T;
  const found = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
  if (found === undefined) throw new Error(`unresolved ${ref}`);
  return found as T;
}

/** Every response object of the document (operations' and components'). */
function responses(): Json[] {
  const fromPaths = Object.values(document.paths).flatMap((item) =>
    Object.values(item).flatMap((operation) =>
      operation && typeof operation === 'object' && operation.responses ? Object.values(operation.responses) : [],
    ),
  );
  return [...fromPaths, ...Object.values(document.components.responses)];
}

/** The catalogue row keys the document's error responses list. */
const listed = new Set(responses().flatMap((response) => (response[ERRORS_EXTENSION] as string[] | undefined) ?? []));

/** A validator of a component schema, its references resolved within the document. */
function schemaValidator(name: string): Validator {
  const retarget = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(retarget)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [
              k,
              k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/$defs/') : retarget(v),
            ]),
          )
        : value;
  return new Validator({ $ref: `#/$defs/${name}`, $defs: retarget(document.components.schemas) } as never, '2020-12', false);
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 for @readme/openapi-parser', async () => {
    const result = await validate(structuredClone(document) as never);
    expect('errors' in result ? result.errors : []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it.each(catalogueEntries.map((entry) => [entry.key, entry] as const))(
    'documents catalogue row %s in some error response, with its schema and example',
    (key, entry) => {
      expect(listed.has(key)).toBe(true);
      expect(document.components.schemas[`Error.${key}`]).toBeDefined();
      const example = document.components.examples[`Error.${key}`]?.value;
      expect(schemaValidator('OperationOutcome').validate(example).valid).toBe(true);
      expect(schemaValidator(`Error.${key}`).validate(example).valid).toBe(true);
      expect((example as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics).toBe(entry.diagnostics);
    },
  );

  it.each(Object.values(LEGACY_ERRORS).map((row) => [row.key]))('documents legacy row %s in some error response', (key) => {
    expect(listed.has(key)).toBe(true);
  });

  it('lists only rows that exist', () => {
    const known = new Set([...catalogueEntries.map((e) => e.key), ...Object.values(LEGACY_ERRORS).map((r) => r.key)]);
    expect([...listed].filter((key) => !known.has(key))).toEqual([]);
  });

  it("the success examples are valid against their operation's schema", () => {
    const flag = schemaValidator('Flag');
    const bundle = schemaValidator('SearchBundle');
    const search = document.paths['/Flag']?.get?.responses?.['200'] as { content: Record<string, { examples: Record<string, { value: unknown }> }> };
    for (const example of Object.values(search.content['application/fhir+json']?.examples ?? {}))
      expect(bundle.validate(example.value).valid).toBe(true);
    const read = document.paths['/Flag/{id}']?.get?.responses?.['200'] as typeof search;
    for (const example of Object.values(read.content['application/fhir+json']?.examples ?? {})) expect(flag.validate(example.value).valid).toBe(true);
  });
});

/** The base the component schemas are registered under for Ajv. */
const SCHEMAS_ID = 'https://openapi.fgm-is.test/schemas';

/** @internal A schema with its `#/components/schemas/…` references pointed at the registered components. */
function forAjv(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(forAjv);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', `${SCHEMAS_ID}#/$defs/`) : forAjv(v),
    ]),
  );
}

/**
 * Ajv as OpenAPI tools set it up, in strict mode: JSON Schema 2020-12 with
 * OpenAPI's own schema keywords known (`discriminator`, `xml`,
 * `externalDocs`, `example`) and the standard formats (ajv-formats); no
 * other keyword is allowed, and strictTypes, strictTuples and
 * strictRequired all throw.
 */
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addVocabulary(['discriminator', 'xml', 'externalDocs', 'example']);
addFormats(ajv);
ajv.addSchema({ $id: SCHEMAS_ID, $defs: forAjv(document.components.schemas) as Json });

/** Every schema outside `components.schemas`: of parameters, headers, request bodies and responses, with where it is. */
function inlineSchemas(): { where: string; schema: Json }[] {
  const found: { where: string; schema: Json }[] = [];
  const walk = (value: unknown, where: string): void => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      // Examples are data, not schemas.
      if (key === 'examples' || key === 'example') continue;
      if (key === 'schema' && item && typeof item === 'object' && !Array.isArray(value))
        found.push({ where: `${where}/schema`, schema: item as Json });
      else walk(item, `${where}/${key}`);
    }
  };
  const { parameters, headers, responses } = document.components;
  walk({ paths: document.paths, parameters, headers, responses }, '#');
  return found;
}

describe('the OpenAPI document under Ajv2020 strict', () => {
  it.each(Object.keys(document.components.schemas))('component schema %s compiles', (name) => {
    expect(() => ajv.getSchema(`${SCHEMAS_ID}#/$defs/${name}`)).not.toThrow();
    expect(ajv.getSchema(`${SCHEMAS_ID}#/$defs/${name}`)).toBeTypeOf('function');
  });

  it('every schema of a parameter, header, request body and response compiles', () => {
    const schemas = inlineSchemas();
    expect(schemas.length).toBeGreaterThan(50);
    const failures = schemas.flatMap(({ where, schema }) => {
      try {
        ajv.compile(forAjv(schema) as Json);
        return [];
      } catch (error) {
        return [`${where}: ${(error as Error).message}`];
      }
    });
    expect(failures).toEqual([]);
  });

  it('every JSON example is valid, for Ajv, against the schema of its media type', () => {
    const media = [
      ...operations.flatMap(({ where, operation }) => [
        ...Object.entries(operation.requestBody?.content ?? {}).map(([type, m]) => ({ where: `${where} request ${type}`, type, m })),
        ...Object.entries(operation.responses ?? {}).flatMap(([status, response]) =>
          Object.entries((resolve<Json>(response).content ?? {}) as Record<string, MediaType>).map(([type, m]) => ({
            where: `${where} ${status} ${type}`,
            type,
            m,
          })),
        ),
      ]),
    ].filter(({ type, m }) => type.endsWith('json') && m.schema && m.examples);
    let checked = 0;
    const failures = media.flatMap(({ where, m }) => {
      const check = ajv.compile(forAjv(m.schema) as Json);
      return Object.entries(m.examples ?? {}).flatMap(([name, example]) => {
        checked++;
        return check(resolve(example).value) ? [] : [`${where} example ${name}: ${ajv.errorsText(check.errors)}`];
      });
    });
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});

describe('headers OpenAPI describes otherwise than as parameters', () => {
  it('no parameter is named Content-Type, Accept or Authorization (OpenAPI tools must ignore them)', () => {
    const declared = [
      ...Object.values(document.components.parameters),
      ...Object.values(document.paths).flatMap((item) => ((item as { parameters?: Json[] }).parameters ?? []) as Json[]),
      ...operations.flatMap(({ operation }) => operation.parameters ?? []),
    ].map((parameter) => resolve<Json>(parameter));
    expect(declared.length).toBeGreaterThan(10);
    expect(declared.filter((p) => ['content-type', 'accept', 'authorization'].includes(String(p.name).toLowerCase()))).toEqual([]);
  });

  it('Authorization is the bearer security scheme of every Flag operation, saying what refuses it (D-3, D-5)', () => {
    const bearer = document.components.securitySchemes.bearer as Json & { description: string };
    expect(bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    const flag = R4_OPERATIONS.filter((op) => op.interaction !== undefined).map((op) => `${op.method} ${op.path.replace(':id', '{id}')}`);
    expect(flag).toHaveLength(4);
    for (const { where, operation } of operations) expect(operation.security, where).toEqual(flag.includes(where) ? [{ bearer: [] }] : []);
    expect(bearer.description).toContain('Missing or malformed: 400 PRECONDITION_FAILED "Missing or invalid head parameter" (D-3).');
    expect(bearer.description).toMatch(/not verifying[^.:]*, expired[^.:]*: 401 ACCESS_DENIED "Invalid or expired access token"/);
  });

  it.each([
    ['post', '/Flag', 'AddFlagRequest'],
    ['put', '/Flag/{id}', 'RemoveFlagRequest'],
  ])('%s %s takes a Flag as application/fhir+json or application/json (D-3), its description the Content-Type rule', (method, path, schema) => {
    const body = document.paths[path]?.[method]?.requestBody;
    expect(Object.keys(body?.content ?? {})).toEqual(['application/fhir+json', 'application/json']);
    for (const [type, media] of Object.entries(body?.content ?? {})) {
      expect(isJsonContentType(type)).toBe(true);
      expect(media.schema).toEqual({ $ref: `#/components/schemas/${schema}` });
      expect(Object.keys(media.examples ?? {})).not.toHaveLength(0);
    }
    expect(body?.description).toContain('application/fhir+json or application/json');
    expect(body?.description).toContain('missing or any other media type is 400 PRECONDITION_FAILED "Missing or invalid head parameter" (D-3)');
    // Accept is the responses' content: every response of the operation with a body is FHIR JSON.
    const operation = document.paths[path]?.[method];
    for (const response of Object.values(operation?.responses ?? {})) {
      expect(Object.keys((resolve<Json>(response).content ?? {}) as Json)).toEqual(['application/fhir+json']);
    }
  });

  it.each(LEGACY_OPERATIONS.map((op) => [op.path]))(
    'POST %s takes a DSTU2 message Bundle in XML as a string, in every media type L-2 allows, and answers XML (405 included)',
    (path) => {
      const operation = document.paths[path]?.post;
      const body = operation?.requestBody;
      const types = Object.keys(body?.content ?? {});
      expect([...types].sort()).toEqual(['application/fhir+xml', 'application/xml', 'application/xml+fhir', 'text/xml']);
      /** A media type whose schema is a string and whose examples are XML message Bundles. */
      const xmlString = (where: string, media: MediaType | undefined) => {
        expect(resolve<Json>(media?.schema ?? {}).type, where).toBe('string');
        const examples = Object.values(media?.examples ?? {}).map((example) => resolve(example).value);
        expect(examples.length, where).toBeGreaterThan(0);
        for (const value of examples) expect(value, where).toMatch(/<Bundle[\s>]/);
      };
      for (const type of types) {
        expect(isLegacyXmlContentType(type)).toBe(true);
        xmlString(`request ${type}`, body?.content[type]);
      }
      expect(operation?.description).toContain('The request body is a FHIR DSTU2 message Bundle in XML, sent as a string');
      expect(operation?.description).toContain('the response is XML too');
      expect(body?.description).toContain('sent as a string');
      const responses = Object.entries({ ...operation?.responses, 405: document.components.responses.LegacyMethodNotAllowed ?? {} });
      expect(responses.length).toBeGreaterThan(3);
      for (const [status, response] of responses) {
        const content = (resolve<Json>(response).content ?? {}) as Record<string, MediaType>;
        expect(Object.keys(content), status).toEqual(['application/xml+fhir']);
        xmlString(`response ${status}`, content['application/xml+fhir']);
      }
    },
  );
});
