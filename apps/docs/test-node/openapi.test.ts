/**
 * The OpenAPI document, as `npm run openapi` writes it and the Worker
 * serves it: valid OpenAPI 3.1 for an independent validator
 * (@readme/openapi-parser), every catalogue row and legacy row documented,
 * every example valid against its own schema.
 */
import { Validator } from '@cfworker/json-schema';
import { ERRORS_EXTENSION } from '@fgm-is/api/routes';
import { LEGACY_ERRORS, catalogueEntries } from '@fgm-is/rules';
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { openApiInputs } from '../scripts/openapi-inputs.ts';
import { buildOpenApiDocument } from '../src/openapi/document.ts';

type Json = Record<string, unknown>;

const document = buildOpenApiDocument(openApiInputs()) as Json & {
  paths: Record<string, Record<string, { responses?: Record<string, Json> }>>;
  components: { schemas: Record<string, Json>; examples: Record<string, { value: unknown }>; responses: Record<string, Json> };
};

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
