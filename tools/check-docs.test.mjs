/**
 * Tests of tools/check-docs.mjs (`node --test tools/check-docs.test.mjs`):
 * its pure functions, table by table, and the command line against a small
 * fixture repository in a temporary folder, each check shown to pass on good
 * input and to catch a planted fault.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { asRepositoryPath, citedPaths, codeSpans, exportedNames, missingExports, missingPaths } from './check-docs.mjs';

const CHECKER = join(dirname(fileURLToPath(import.meta.url)), 'check-docs.mjs');

describe('exportedNames', () => {
  const cases = [
    ['named value exports', "export { b, a } from './x.ts';", ['a', 'b'], []],
    ['type-only exports', "export type { T, U } from './x.ts';", ['T', 'U'], []],
    ['a renamed export is listed by its public name', "export { inner as outer } from './x.ts';", ['outer'], []],
    ['a local export list', 'const a = 1;\nexport { a };', ['a'], []],
    ['a namespace re-export', "export * as ns from './x.ts';", ['ns'], []],
    [
      'declarations marked export',
      'export const A = 1, B = 2;\nexport function f() {}\nexport interface I {}\nexport type T = 1;\nexport class C {}\nexport enum E { X }\nconst hidden = 0;',
      ['A', 'B', 'C', 'E', 'I', 'T', 'f'],
      [],
    ],
    ['repeats are listed once', "export { a } from './x.ts';\nexport type { a } from './y.ts';", ['a'], []],
    ['comments and imports are not exports', "import { z } from './z.ts';\n// export { not } from './x.ts';\n/** export { nor } */", [], []],
    ['`export *` is refused, not silently passed', "export { a } from './x.ts';\nexport * from './y.ts';", ['a'], ["export * from './y.ts';"]],
  ];
  for (const [name, source, names, unsupported] of cases) {
    it(name, () => assert.deepEqual(exportedNames(source), { names, unsupported }));
  }
});

describe('codeSpans', () => {
  it('reads spans of one or more backticks, table escapes, and nothing inside fenced blocks', () => {
    const markdown = 'Use `a` and ``b ` c``.\n\n| `x \\| y` |\n\n```ts\n`inFence`\n```\n~~~\n`tilde`\n~~~\nlast `z`\n';
    assert.deepEqual(
      codeSpans(markdown).map(({ content, line }) => [content, line]),
      [
        ['a', 1],
        ['b ` c', 1],
        ['x | y', 3],
        ['z', 11],
      ],
    );
  });
});

describe('missingExports', () => {
  const README = '| `catalogue` | … |\n| `decideAdd(input)` | … |\n| `Result` | `Result<T, E = CatalogueEntry>` |\n';
  const cases = [
    ['passes when every name is a code span, `Name` or `Name(…`', ['catalogue', 'decideAdd', 'Result'], []],
    ['catches a planted missing name', ['catalogue', 'parseRemoveBody'], ['parseRemoveBody']],
    ['a longer name does not document a prefix of it', ['decide', 'cat'], ['decide', 'cat']],
    ['`Name<…>` alone is not `Name`', ['CatalogueEntry'], ['CatalogueEntry']],
  ];
  for (const [name, names, missing] of cases) {
    it(name, () => assert.deepEqual(missingExports(names, README), missing));
  }

  it('a name mentioned only in prose or in a fenced example is missing', () => {
    assert.deepEqual(missingExports(['LEGACY_ERRORS'], 'LEGACY_ERRORS in prose\n```ts\n`LEGACY_ERRORS`\n```\n'), ['LEGACY_ERRORS']);
  });
});

describe('asRepositoryPath', () => {
  const cases = [
    ['apps/api/src/compose.ts', 'apps/api/src/compose.ts'],
    ['packages/fgm-rules', 'packages/fgm-rules'],
    ['.ci/run', '.ci/run'],
    ['docs/', 'docs/'],
    ['src/index.ts', 'src/index.ts'],
    ['../../tools/check-package.mjs', '../../tools/check-package.mjs'],
    ['docs/contract/decisions.md#d-9-remove', 'docs/contract/decisions.md'],
    ['src/guard.ts:42', 'src/guard.ts'],
    ['index.ts', undefined],
    ['src/test-support/', undefined],
    ['npm run check:package', undefined],
    ['https://fhir.nhs.uk/Id/nhs-number', undefined],
    ['http://127.0.0.1:8787/metadata', undefined],
    ['127.0.0.1:8787/docs/app.js', undefined],
    ['/openapi.json', undefined],
    ['@fgm-is/api/routes', undefined],
    ['application/fhir+json', undefined],
    ['apps/api/examples/legacy/*.xml', undefined],
    ['apps/api/src/{r4,legacy}/openapi.ts', undefined],
    ['W/"2"', undefined],
  ];
  for (const [value, path] of cases) {
    it(`${value} → ${path}`, () => assert.equal(asRepositoryPath(value), path));
  }

  it('takes any relative link target as a path, never a URL or an anchor', () => {
    assert.equal(asRepositoryPath('CHANGELOG.md', { isLink: true }), 'CHANGELOG.md');
    assert.equal(asRepositoryPath('LICENSE', { isLink: true }), 'LICENSE');
    assert.equal(asRepositoryPath('#deploying', { isLink: true }), undefined);
    assert.equal(asRepositoryPath('https://valibot.dev', { isLink: true }), undefined);
    assert.equal(asRepositoryPath('mailto:someone@example.org', { isLink: true }), undefined);
  });
});

describe('citedPaths', () => {
  it('reads code spans and link targets (inline and reference) with their lines, and skips fenced blocks and links inside code', () => {
    const markdown = [
      'See `docs/a.md` and [the log](docs/b.md "title").',
      '```sh',
      'cat docs/fenced.md `docs/fenced-span.md`',
      '```',
      'Code `[not](docs/c.md)` and an ![image](docs/d.png).',
      '',
      '[ref]: docs/e.md',
    ].join('\n');
    assert.deepEqual(citedPaths(markdown), [
      { path: 'docs/a.md', line: 1 },
      { path: 'docs/b.md', line: 1 },
      { path: 'docs/d.png', line: 5 },
      { path: 'docs/e.md', line: 7 },
    ]);
  });
});

describe('missingPaths', () => {
  const exists = (path) => ['CONTRIBUTING.md', 'apps/api/src/compose.ts', 'packages/fgm-rules/src/index.ts', 'docs'].includes(path);
  const cases = [
    ['passes on a path from the repository root', 'CONTRIBUTING.md', '`apps/api/src/compose.ts`', []],
    ['passes on a path from the markdown file’s folder', 'packages/fgm-rules/README.md', '`src/index.ts`', []],
    ['passes on a relative link that climbs to the root', 'packages/fgm-rules/README.md', '[c](../../CONTRIBUTING.md)', []],
    ['catches a planted missing path', 'CONTRIBUTING.md', 'See `apps/api/src/gone.ts`.', [{ path: 'apps/api/src/gone.ts', line: 1 }]],
    ['catches a path that exists only from another folder', 'CONTRIBUTING.md', '\n`src/index.ts`', [{ path: 'src/index.ts', line: 2 }]],
    ['catches a broken relative link', 'README.md', '[x](docs/gone.md)', [{ path: 'docs/gone.md', line: 1 }]],
    ['never resolves outside the repository', 'README.md', '[x](../CONTRIBUTING.md)', [{ path: '../CONTRIBUTING.md', line: 1 }]],
    ['skips globs and URLs', 'README.md', '`apps/*/README.md` [u](https://example.org/a.md)', []],
    [
      'skips the paths an ignore comment lists, and only those',
      'README.md',
      'Gone: `http/outcome-code.ts`, `audit/complete.ts`.\n<!-- check-docs-ignore: http/outcome-code.ts audit/complete.ts -->\n`audit/other.ts`',
      [{ path: 'audit/other.ts', line: 3 }],
    ],
  ];
  for (const [name, file, markdown, missing] of cases) {
    it(name, () => assert.deepEqual(missingPaths(markdown, file, exists), missing));
  }
});

// Each test writes a fixture of its own, so they run side by side (each run of the checker loads the TypeScript compiler).
describe('check-docs (command line)', { concurrency: true }, () => {
  const roots = [];
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  const GOOD = {
    'packages/fgm-rules/src/index.ts': "export { decideAdd, parseRemoveBody } from './add.ts';\nexport type { Result } from './result.ts';\n",
    'packages/fgm-rules/src/add.ts': '',
    'packages/fgm-rules/README.md': '| `decideAdd(input)` | … |\n| `parseRemoveBody(body)` | … |\n| `Result` | … |\n\nIts API is `src/index.ts`.\n',
    'packages/fgm-client/src/index.ts': "export { createClient } from './client.ts';\n",
    'packages/fgm-client/README.md': '`createClient(options)`\n',
    'packages/fgm-conformance/src/index.ts': "export { runConformance } from './runner.ts';\n",
    'packages/fgm-conformance/README.md': '`runConformance(options)`\n',
    'CONTRIBUTING.md': 'The rules: `packages/fgm-rules/src/index.ts`; see [the README](README.md).\n',
    'README.md': 'Run `tools/check-docs.mjs`.\n',
    'tools/check-docs.mjs': '',
    'apps/api/README.md': 'The Worker, beside [the rules](../../packages/fgm-rules/src/add.ts).\n',
  };

  /** Writes a fixture repository, GOOD with `changes` applied (a path → text, or null to leave the file out), and returns its root. */
  function fixture(changes = {}) {
    const root = mkdtempSync(join(tmpdir(), 'check-docs-'));
    roots.push(root);
    for (const [path, text] of Object.entries({ ...GOOD, ...changes })) {
      if (text === null) continue;
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  /** Runs the checker on a fixture: its exit status and everything it printed. */
  function check(root) {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CHECKER, '--root', root]);
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr.on('data', (chunk) => {
        output += chunk;
      });
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, output }));
    });
  }

  it('passes when every export is documented and every cited path exists', async () => {
    const { status, output } = await check(fixture());
    assert.equal(status, 0, output);
    assert.match(output, /every export is documented and every cited path exists/);
  });

  const faults = [
    [
      'an export of the rules missing from its README',
      { 'packages/fgm-rules/README.md': GOOD['packages/fgm-rules/README.md'].replace('| `parseRemoveBody(body)` | … |\n', '') },
      /packages\/fgm-rules\/README\.md: does not document `parseRemoveBody`, exported by packages\/fgm-rules\/src\/index\.ts/,
    ],
    [
      'an export of the client missing from its README',
      { 'packages/fgm-client/src/index.ts': "export { createClient, readLegacyMessage } from './client.ts';\n" },
      /packages\/fgm-client\/README\.md: does not document `readLegacyMessage`/,
    ],
    [
      'an `export *` the check cannot list',
      { 'packages/fgm-client/src/index.ts': "export { createClient } from './client.ts';\nexport * from './more.ts';\n" },
      /packages\/fgm-client\/src\/index\.ts: cannot list the names of `export \* from '\.\/more\.ts';`/,
    ],
    [
      'a path in CONTRIBUTING.md that does not exist',
      { 'CONTRIBUTING.md': 'Line one.\nThe docs Worker: `src/docs-forward.ts`.\n' },
      /CONTRIBUTING\.md:2: cites src\/docs-forward\.ts, which does not exist/,
    ],
    [
      'a broken link in the root README',
      { 'README.md': 'See [the log](docs/clinical-safety/hazard-log.md).\n' },
      /README\.md:1: cites docs\/clinical-safety\/hazard-log\.md/,
    ],
    [
      'a missing path in a README under apps/',
      { 'apps/api/README.md': 'The Worker: `src/add.ts`.\n' },
      /apps\/api\/README\.md:1: cites src\/add\.ts, which does not exist/,
    ],
    ['a README that cannot be read', { 'packages/fgm-client/README.md': null }, /packages\/fgm-client\/README\.md: cannot be read/],
  ];
  for (const [name, changes, pattern] of faults) {
    it(`fails on ${name}`, async () => {
      const { status, output } = await check(fixture(changes));
      assert.equal(status, 1, output);
      assert.match(output, pattern);
    });
  }
});
