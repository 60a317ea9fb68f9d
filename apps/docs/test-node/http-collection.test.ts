/**
 * `docs/suppliers/fgm-is.http` is generated from the OpenAPI document's
 * sandbox examples (`npm run docs:requests`); it must be up to date, and run
 * in order it must never touch the seeded flag of 9000000009 but to read it.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderHttpCollection } from '../scripts/http-collection.ts';
import { openApiInputs } from '../scripts/openapi-inputs.ts';
import { buildOpenApiDocument } from '../src/openapi/document.ts';

const text = readFileSync(new URL('../../../docs/suppliers/fgm-is.http', import.meta.url), 'utf8');

it('docs/suppliers/fgm-is.http is what npm run docs:requests writes from the document', () => {
  expect(text, 'out of date: run npm run docs:requests').toBe(
    renderHttpCollection(buildOpenApiDocument(openApiInputs()) as unknown as Record<string, unknown>),
  );
});

it('holds every interaction of both channels, and removes only the flags it made', () => {
  for (const line of [
    'GET {{baseUrl}}/Flag?patient:identifier=',
    'POST {{baseUrl}}/Flag',
    'GET {{baseUrl}}/Flag/{{add.response.body.$.id}}',
    'PUT {{baseUrl}}/Flag/{{add.response.body.$.id}}',
  ]) {
    expect(text).toContain(line);
  }
  for (const kind of ['query', 'create', 'delete']) expect(text).toContain(`POST {{baseUrl}}/fhir/fgm/${kind}`);
  expect(text).not.toContain('a6a6a92a-8247-4250-b1c7-10cda16f0310');
  const legacyDelete = text.slice(text.indexOf('POST {{baseUrl}}/fhir/fgm/delete'));
  expect(legacyDelete).toContain('<valueString value="9000000084"/>');
  expect(legacyDelete).not.toContain('9000000009');
});
