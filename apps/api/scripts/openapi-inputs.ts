/**
 * What the OpenAPI document and the docs page are built from, read from
 * the repository: the sandbox fixtures, the legacy example messages and the
 * release.
 */
import { readFileSync } from 'node:fs';
import type { OpenApiInputs } from '../src/channels/docs/openapi/document.ts';
import { RELEASE } from '../src/release.ts';
import fixtures from '../src/sandbox/fixtures.json' with { type: 'json' };

/** The sandbox's own address, as `npm start` serves it. */
export const SANDBOX_URL = 'http://127.0.0.1:8787';

/** @internal A file of apps/api as text. */
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** The inputs of the document, for links on `serverUrl`. */
export function openApiInputs(serverUrl: string = SANDBOX_URL): OpenApiInputs {
  return {
    fixtures,
    legacyExamples: {
      query: read('examples/legacy/query.xml'),
      create: read('examples/legacy/create.xml'),
      delete: read('examples/legacy/delete.xml'),
    },
    release: RELEASE,
    serverUrl,
  };
}
