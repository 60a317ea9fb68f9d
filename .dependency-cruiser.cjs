/**
 * The layering rules, checked in CI (`npm run check:layers`):
 *
 *   packages/fgm-rules   pure rules: imports only itself and valibot
 *   apps/api/src
 *     channels/ middleware/ http/   HTTP: reach storage only through ports/
 *     ports/                        interfaces: import nothing of the app
 *     adapters/                     implement ports: never import HTTP or the ledger
 *     ledger/                       the write path: ports, plus adapters for its Durable Object
 *     services/ index.ts app.ts     the composition root: may import anything
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
      name: 'packages-never-import-apps',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(apps|bench)/' },
    },
    {
      name: 'workspaces-through-their-exports',
      comment: 'Another workspace is imported by its package name, as published, never by a path into its sources.',
      severity: 'error',
      from: { path: '^(apps|bench)/' },
      to: { path: '^packages/fgm-rules/src/' },
    },
    {
      name: 'http-reaches-storage-only-through-ports',
      comment: 'Channels, middleware and HTTP helpers know ports, never an adapter or the ledger.',
      severity: 'error',
      from: { path: `${API}(channels|middleware|http)/`, pathNot: TEST },
      to: { path: `${API}(adapters|ledger|scheduled|sandbox)/` },
    },
    {
      name: 'ports-are-interfaces',
      severity: 'error',
      from: { path: `${API}ports/` },
      to: { path: API, pathNot: `${API}ports/` },
    },
    {
      name: 'adapters-know-only-ports',
      severity: 'error',
      from: { path: `${API}adapters/`, pathNot: TEST },
      to: { path: `${API}(channels|middleware|http|ledger|services|config|scheduled|sandbox)/` },
    },
    {
      name: 'the-ledger-is-below-http',
      severity: 'error',
      from: { path: `${API}ledger/` },
      to: { path: `${API}(channels|middleware|http|services)/` },
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
    exclude: { path: ['node_modules', '\\.wrangler', '/dist/', 'worker-configuration\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.json', '.d.ts'],
    },
    builtInModules: { add: ['cloudflare:workers', 'cloudflare:test'] },
  },
};
