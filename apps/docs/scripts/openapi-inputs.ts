/**
 * What the OpenAPI document and the docs page are built from, read from the
 * API's package (`@fgm-is/api`, through its exports): the sandbox fixtures,
 * the legacy example messages, the release, and the sandbox's access policy
 * from the API's wrangler.toml.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { RELEASE } from '@fgm-is/api/release';
import fixtures from '@fgm-is/api/sandbox/fixtures.json' with { type: 'json' };
import type { LegacyInteraction } from '@fgm-is/rules';
import type { OpenApiInputs } from '../src/openapi/document.ts';

/** The sandbox's own address, as `npm start` serves it. */
export const SANDBOX_URL = 'http://127.0.0.1:8787';

/** A file the API's package exports, by its export path (e.g. `@fgm-is/api/wrangler.toml`). */
export const apiFile = (specifier: string): string => createRequire(import.meta.url).resolve(specifier);

/** @internal A legacy example message of the API's package. */
const legacyExample = (interaction: LegacyInteraction) => readFileSync(apiFile(`@fgm-is/api/examples/legacy/${interaction}.xml`), 'utf8');

/** The inputs of the document, for links on `serverUrl`. */
export function openApiInputs(serverUrl: string = SANDBOX_URL): OpenApiInputs {
  return {
    fixtures,
    legacyExamples: { query: legacyExample('query'), create: legacyExample('create'), delete: legacyExample('delete') },
    release: RELEASE,
    serverUrl,
  };
}
