/**
 * Builds what the docs Worker serves into `apps/docs/dist/`, as text
 * modules it imports (wrangler uploads them beside its main module):
 *
 *   openapi.txt     the OpenAPI 3.1 document (JSON)
 *   index.html      the page, rendered from the rules' catalogues
 *   app.js.txt      the page's ES module with the parts of @fgm-is/rules it
 *                   uses, bundled for the browser by esbuild (minified)
 *   style.css.txt   the stylesheet
 *
 * and the Worker itself as one ES module with those files inlined,
 * `worker.js`: what the API's tests run as the auxiliary Worker behind
 * their DOCS binding (apps/api/vitest.config.ts), since miniflare runs an
 * auxiliary Worker from a built script.
 *
 * `npm run build -w @fgm-is/docs`; turbo runs it before `npm start`, the API's
 * tests and this workspace's, and caches it: when nothing it reads changed,
 * it does not run at all (turbo.json lists what it reads of the API).
 * Files are replaced atomically and only when their content changed.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FGM_CODE, INTERACTIONS, REMOVAL_EXTENSION_URLS, REMOVAL_REASON_SYSTEMS, permissionFor } from '@fgm-is/rules';
import { build } from 'esbuild';
import { type OpenApiInputs, buildOpenApiDocument } from '../src/openapi/document.ts';
import { buildExamples } from '../src/openapi/examples.ts';
import type { PageData } from '../src/page-data.ts';
import { renderPage } from '../src/page-html.ts';
import { apiFile, openApiInputs } from './openapi-inputs.ts';

const OUT = fileURLToPath(new URL('../dist/', import.meta.url));
const PAGE = fileURLToPath(new URL('../src/page/', import.meta.url));
const WORKER = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** The URL paths the page loads its assets from (the Worker serves `/docs/{name}`). */
const ASSETS = { style: '/docs/style.css', app: '/docs/app.js' } as const;

/** @internal Writes a file atomically when its content differs; true when it wrote. */
function writeIfChanged(name: string, content: string): boolean {
  const path = `${OUT}${name}`;
  try {
    if (readFileSync(path, 'utf8') === content) return false;
  } catch {
    // Not there yet.
  }
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
  return true;
}

/**
 * @internal The sandbox's access policy for the console's choices, read from the API's wrangler.toml as `wrangler
 * dev` reads it (a fact of the API's configuration, written there once).
 */
async function sandboxPolicy(): Promise<{ asids: Record<string, string[]>; activities: Record<string, string[]>; serviceAsid: string }> {
  process.env.WRANGLER_LOG ??= 'error';
  const { unstable_readConfig } = await import('wrangler');
  const config = unstable_readConfig({ config: apiFile('@fgm-is/api/wrangler.toml') });
  const vars = config.vars as Record<string, unknown>;
  return {
    asids: (vars.ASID_ALLOW_LIST ?? {}) as Record<string, string[]>,
    activities: (vars.ACTIVITY_MAP ?? {}) as Record<string, string[]>,
    serviceAsid: String(vars.SERVICE_ASID),
  };
}

/** @internal What the permissions allow, in words: read comes with search (D-4). */
function interactionsAllowed(permissions: readonly string[]): string {
  const allowed = INTERACTIONS.filter((interaction) => permissions.includes(permissionFor(interaction)));
  return allowed.length > 0 ? allowed.join(', ') : 'nothing';
}

/** @internal The page's data: validator examples (from the OpenAPI Add example), the sandbox directory, console choices. */
async function pageData(inputs: OpenApiInputs): Promise<PageData> {
  const examples = buildExamples(inputs);
  const good = examples.addRequest;
  const nhsNumber = good.subject.identifier.value;
  const policy = await sandboxPolicy();
  const variant = (label: string, changes: Record<string, unknown>) => ({ label, body: { ...good, ...changes } });
  return {
    examples: [
      { label: `A valid Add for ${nhsNumber} (a girl in the sandbox with no flag)`, body: good },
      variant('Wrong code (A2)', { code: { coding: [{ system: 'http://snomed.info/sct', code: '1234567' }] } }),
      variant('Invalid NHS number (A1)', { subject: { identifier: { system: good.subject.identifier.system, value: '1234567890' } } }),
      variant('Status not active (A3)', { status: 'inactive' }),
      variant('A removal reason on an Add (A7)', {
        extension: [{ url: REMOVAL_EXTENSION_URLS[0], valueCoding: { system: REMOVAL_REASON_SYSTEMS[0], code: '0' } }],
      }),
      variant('An id on create', { id: 'chosen-by-the-client' }),
      variant('Assessment date in the future', { period: { start: '2999-01-01' } }),
      variant(`A boy in the sandbox directory (A5): ${pickPatient(inputs.fixtures.patients, 'male')}`, {
        subject: { identifier: { system: good.subject.identifier.system, value: pickPatient(inputs.fixtures.patients, 'male') } },
      }),
      variant(`The seeded flag's patient again (A6): ${inputs.fixtures.flags[0]?.nhsNumber}`, {
        subject: { identifier: { system: good.subject.identifier.system, value: inputs.fixtures.flags[0]?.nhsNumber } },
      }),
      { label: 'Not a Flag (Invalid request body)', body: { resourceType: 'Patient' } },
    ],
    directory: inputs.fixtures as PageData['directory'],
    console: {
      asids: Object.entries(policy.asids).map(([asid, permissions]) => ({ value: asid, label: `${asid}: may ${interactionsAllowed(permissions)}` })),
      roles: [
        // The role that may do the most first: the console's default can Add, as a new user tries first.
        ...Object.entries(policy.activities)
          .sort(([, a], [, b]) => b.length - a.length)
          .map(([code, permissions]) => ({
            value: code,
            label: `Activity ${code}: ${interactionsAllowed(permissions)}`,
            activities: [code],
          })),
        { value: 'none', label: 'No FGM activity (refused)', activities: [] },
      ],
      serviceAsid: policy.serviceAsid,
      addBody: good,
      removeBody: examples.removeRequest,
      nhsNumber,
      flagId: examples.flag.id,
    },
  };
}

/** @internal The first sandbox patient of a gender. */
function pickPatient(patients: Readonly<Record<string, { gender?: string }>>, gender: string): string {
  const found = Object.entries(patients).find(([, p]) => p.gender === gender);
  if (!found) throw new Error(`the sandbox directory has no ${gender} patient`);
  return found[0];
}

/** @internal The page module and the rules it uses as one browser ES module (esbuild, tree-shaken and minified). */
async function bundlePageModule(): Promise<string> {
  const result = await build({
    entryPoints: [`${PAGE}app.ts`],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** @internal The Worker and the built files it imports as one ES module, for miniflare (esbuild; the text modules inlined). */
async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [WORKER],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    loader: { '.txt': 'text', '.html': 'text' },
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** Builds every file; returns the names of those that changed. */
export async function buildDocs(): Promise<string[]> {
  mkdirSync(OUT, { recursive: true });
  const inputs = openApiInputs();
  const [app, data] = await Promise.all([bundlePageModule(), pageData(inputs)]);
  if (!app.includes(FGM_CODE)) throw new Error('the page module lacks the rules (no FGM code in it)');
  const files: Record<string, string> = {
    'openapi.txt': JSON.stringify(buildOpenApiDocument(inputs)),
    'index.html': renderPage({ version: inputs.release.version, data, assets: ASSETS }),
    'app.js.txt': app,
    'style.css.txt': readFileSync(`${PAGE}style.css`, 'utf8'),
  };
  const changed = Object.entries(files).flatMap(([name, content]) => (writeIfChanged(name, content) ? [name] : []));
  // After the files it inlines.
  return writeIfChanged('worker.js', await bundleWorker()) ? [...changed, 'worker.js'] : changed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const changed = await buildDocs();
  console.info(
    `docs build: ${changed.length ? `wrote ${changed.join(', ')}` : 'up to date'} in apps/docs/dist (${Math.round(performance.now() - started)} ms)`,
  );
}
