/**
 * The layering rules, checked in CI (`npm run check:layers`):
 *
 *   packages/fgm-rules   pure rules: imports only itself and valibot
 *   packages/fgm-client  the supplier's client: the rules, valibot and saxes; no Node built-in (it runs in browsers and Workers)
 *   packages/fgm-conformance  the conformance kit: the rules and the client; Node built-ins only in its CLI
 *   apps/api/src
 *     pipeline/ r4/ legacy/ health/routes   HTTP: the steps every request passes, the two channels, health;
 *                                          reach storage only through ports/ (and audit/ only for its draft and types)
 *     ports/                              what the register and HTTP need of storage: interfaces, importing nothing of the app
 *     storage/                            KV and PDS adapters: implement ports, import no HTTP, ledger or audit code
 *     register/                           the write path, behind its own port (flag-writer.ts, which HTTP may use); patient-ledger.ts never touches the
 *                                          composition root (only the FlagLedger object, an entry point, takes its stores there)
 *     audit/                              the audit trail: record, draft, sink, store, consumer, archive; no HTTP, no ledger
 *     jobs/                               scheduled work over ports
 *     compose.ts index.ts app.ts          the composition root and entry points: may import anything
 *
 *   apps/docs            the docs Worker: imports @fgm-is/api only through its package exports; the API never imports it
 *
 * Folder-level cycles (which this tool does not see) are checked by tools/check-layers.mjs.
 */
const API = '^apps/api/src/';
const TEST = '(\\.test\\.ts$|/test-support/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'rules-are-pure',
      comment: 'fgm-rules is pure and valibot-only: no Node built-in, no other package, nothing of the apps.',
      severity: 'error',
      from: { path: '^packages/fgm-rules/src/', pathNot: TEST },
      to: { pathNot: ['^packages/fgm-rules/src/', '^node_modules/valibot/'] },
    },
    {
      name: 'the-client-runs-everywhere',
      comment: 'fgm-client runs in Node, browsers and Workers: only itself, the rules (by package name), valibot and saxes.',
      severity: 'error',
      from: { path: '^packages/fgm-client/src/', pathNot: TEST },
      to: { pathNot: ['^packages/fgm-client/src/', '^packages/fgm-rules/dist/', '^node_modules/(valibot|saxes|xmlchars)/'] },
    },
    {
      name: 'the-conformance-runner-runs-everywhere',
      comment: 'The kit runs in workerd too (the API tests run it there): only its CLI may use Node built-ins.',
      severity: 'error',
      from: { path: '^packages/fgm-conformance/src/', pathNot: `${TEST}|^packages/fgm-conformance/src/cli\\.ts$` },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'packages-never-import-apps',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(apps|bench)/' },
    },
    {
      name: 'the-api-never-imports-the-docs',
      comment: 'The docs workspace depends on the API (its route declarations); the API reaches the docs Worker only through its DOCS binding.',
      severity: 'error',
      from: { path: '^(apps/api|packages|bench)/' },
      to: { path: '^apps/docs/' },
    },
    {
      name: 'docs-reach-the-api-through-its-exports',
      comment: 'apps/docs imports @fgm-is/api by package name and only what its package.json `exports` lists, never a path into its sources.',
      severity: 'error',
      from: { path: '^apps/docs/' },
      to: {
        path: '^apps/api/',
        pathNot:
          '^apps/api/(src/(routes|auth/compact-jws|legacy/respond|legacy/xml|release)\\.ts|src/sandbox/fixtures\\.json|examples/legacy/[^/]+\\.xml|wrangler\\.toml)$',
      },
    },
    {
      name: 'docs-name-the-api-package',
      comment: 'A relative path into apps/api from apps/docs is an import around the package boundary, even of an exported file.',
      severity: 'error',
      from: { path: '^apps/docs/' },
      to: { path: '^apps/api/', dependencyTypes: ['local'] },
    },
    {
      name: 'workspaces-through-their-exports',
      comment: 'Another workspace is imported by its package name, as published, never by a path into its sources.',
      severity: 'error',
      from: { path: '^(apps|bench)/' },
      to: { path: '^packages/(fgm-rules|fgm-client)/src/' },
    },
    {
      name: 'packages-through-each-others-exports',
      comment: 'A package imports another by its package name (its built, published form), never a path into its sources.',
      severity: 'error',
      from: { path: '^packages/(fgm-client|fgm-conformance)/' },
      to: { path: '^packages/(fgm-rules|fgm-client)/src/', pathNot: '^packages/$1/src/' },
    },
    {
      name: 'http-reaches-storage-only-through-ports',
      comment: 'The pipeline, the channels and the health routes know ports (and the audit draft), never an adapter, the ledger or a job.',
      severity: 'error',
      from: { path: `${API}(pipeline|r4|legacy)/|${API}health/routes\\.ts$`, pathNot: TEST },
      to: {
        path: `${API}(storage|jobs|sandbox)/|${API}register/(?!flag-writer\\.ts$)|${API}audit/(?!(draft|event)\\.ts$)|${API}health/(probes|write-path-monitor)\\.ts$`,
      },
    },
    {
      name: 'http-builds-nothing-from-configuration',
      comment: 'Configuration is parsed once, in the composition root; handlers and steps get what it decided from their services.',
      severity: 'error',
      from: { path: `${API}(pipeline|r4|legacy)/|${API}health/routes\\.ts$|${API}docs-forward\\.ts$`, pathNot: TEST },
      to: { path: `${API}(config|auth)/`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'http-knows-the-composition-root-only-as-a-type',
      comment: 'Handlers get their services from the context (the `services` step); they may name the Services type, never build it.',
      severity: 'error',
      from: { path: `${API}(pipeline|r4|legacy|health)/`, pathNot: TEST },
      to: { path: `${API}compose\\.ts$`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ports-are-interfaces',
      severity: 'error',
      from: { path: `${API}ports/` },
      to: { path: API, pathNot: `${API}ports/` },
    },
    {
      name: 'adapters-know-only-ports',
      comment: 'Storage adapters and the health adapters implement ports: no HTTP, ledger, audit, job or composition code.',
      severity: 'error',
      from: { path: `${API}storage/|${API}health/(probes|write-path-monitor)\\.ts$`, pathNot: TEST },
      to: { path: `${API}(pipeline|r4|legacy|register|audit|jobs|config|sandbox)/|${API}compose\\.ts$|${API}app\\.ts$` },
    },
    {
      name: 'the-register-is-below-http',
      severity: 'error',
      from: { path: `${API}register/`, pathNot: TEST },
      to: {
        path: `${API}(pipeline|r4|legacy|storage|jobs|sandbox)/|${API}app\\.ts$|${API}audit/(?!(draft|event)\\.ts$)|${API}health/(probes|write-path-monitor)\\.ts$`,
      },
    },
    {
      name: 'only-the-ledger-object-takes-the-composition-root',
      comment: 'The FlagLedger Durable Object is an entry point and takes its stores from compose.ts; the ledger logic gets ports.',
      severity: 'error',
      from: { path: `${API}register/`, pathNot: `${TEST}|${API}register/flag-ledger\\.ts$` },
      to: { path: `${API}compose\\.ts$` },
    },
    {
      name: 'audit-is-its-own-room',
      comment: 'The audit trail imports no HTTP, ledger or storage code: the pipeline and the ledger call it, never the other way.',
      severity: 'error',
      from: { path: `${API}audit/`, pathNot: TEST },
      to: { path: `${API}(pipeline|r4|legacy|register|storage|jobs|health)/|${API}compose\\.ts$|${API}app\\.ts$` },
    },
    {
      name: 'jobs-know-only-ports',
      severity: 'error',
      from: { path: `${API}jobs/`, pathNot: TEST },
      to: { path: `${API}(pipeline|r4|legacy|register|storage|health)/|${API}compose\\.ts$` },
    },
    {
      name: 'production-code-never-imports-tests',
      severity: 'error',
      from: { path: '^(apps|packages|bench)/', pathNot: `${TEST}|/test/|vitest\\.config\\.ts$|^packages/spec-oracle/` },
      to: { path: `${TEST}|^apps/api/test/|^packages/spec-oracle/` },
    },
    {
      name: 'tests-beside-code-stay-beside-it',
      comment: 'A test beside the code builds what it needs from src/ (or src/test-support/), never from test/.',
      severity: 'error',
      from: { path: '^apps/api/src/' },
      to: { path: '^apps/api/test/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '\\.wrangler', '/dist/', 'worker-configuration\\.d\\.ts$', '^bench/\\.before/'] },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.json', '.d.ts'],
    },
    builtInModules: { add: ['cloudflare:workers', 'cloudflare:test'] },
  },
};
