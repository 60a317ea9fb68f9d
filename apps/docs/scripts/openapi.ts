/**
 * Writes the OpenAPI 3.1 document for publishing, exactly as the docs Worker
 * serves it at `GET /openapi.json` in the sandbox (every path included).
 *
 *   npm run openapi                          # → apps/docs/dist/openapi.json
 *   npm run openapi -- --out site/openapi.json --server https://fgm-is.example.nhs.uk
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildOpenApiDocument } from '../src/openapi/document.ts';
import { SANDBOX_URL, openApiInputs } from './openapi-inputs.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: fileURLToPath(new URL('../dist/openapi.json', import.meta.url)) },
    server: { type: 'string', default: SANDBOX_URL },
  },
});

const out = resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(openApiInputs(values.server)), null, 2)}\n`);
console.info(`openapi: wrote ${out}`);
