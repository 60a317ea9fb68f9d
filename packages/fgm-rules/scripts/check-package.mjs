/**
 * Checks @fgm-is/rules as npm would publish it, not as the workspace sees it:
 *
 * 1. `npm pack` (which builds `dist/` through `prepack`), then the tarball's
 *    file list: the build and the sources, no tests, no test support.
 * 2. publint on the unpacked tarball, and @arethetypeswrong/cli on the tarball.
 * 3. A scratch consumer installs the tarball from disk and imports it from
 *    plain Node ESM, from TypeScript with `moduleResolution` `nodenext` and
 *    `bundler` (declaration files checked too), and bundles it for the
 *    browser with esbuild; the bundle sizes are printed.
 *
 * Exits non-zero on the first failure. Run: `npm run check:package -w @fgm-is/rules`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const quiet = { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' };
const step = (text) => process.stdout.write(`check-package: ${text}\n`);
const fail = (text) => {
  process.stderr.write(`check-package: FAILED: ${text}\n`);
  process.exit(1);
};

const work = mkdtempSync(join(tmpdir(), 'fgm-rules-pack-'));
try {
  // 1. Pack, and look at what the tarball holds.
  const [packed] = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', work], { ...quiet, cwd: packageDir }));
  const tarball = join(work, packed.filename);
  const files = packed.files.map((f) => f.path);
  for (const required of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']) {
    if (!files.includes(required)) fail(`the tarball lacks ${required}`);
  }
  const unwanted = files.filter((f) => /\.test\.|test-support|tsbuildinfo|scripts\//.test(f));
  if (unwanted.length > 0) fail(`the tarball ships test or build files: ${unwanted.join(', ')}`);
  step(`packed ${packed.filename}: ${files.length} files, ${packed.size} bytes (${packed.unpackedSize} unpacked)`);

  // 2. publint on the unpacked tarball; attw on the tarball itself.
  const unpacked = join(work, 'unpacked');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked], quiet);
  execFileSync(npx, ['--no-install', 'publint', join(unpacked, 'package'), '--pack', 'false', '--strict'], { stdio: 'inherit', cwd: packageDir });
  step('publint: no issues');
  execFileSync(npx, ['--no-install', 'attw', tarball, '--profile', 'esm-only', '--format', 'table'], { stdio: 'inherit', cwd: packageDir });
  step('attw (esm-only profile): no problems');

  // 3. A scratch consumer that installs the tarball like any user would.
  const consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync(npm, ['install', tarball, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { ...quiet, cwd: consumer });

  const usage = `
import { catalogue, decideAdd, isValidNhsNumber, toOperationOutcome, validateAddBody } from '@fgm-is/rules';
import type { CatalogueEntry, FgmFlag, Result } from '@fgm-is/rules';
const body = { resourceType: 'Flag', status: 'active', code: { coding: [{ system: 'http://snomed.info/sct', code: '1' }] },
  subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' } }, period: { start: '2020-01-01' } };
const result: Result<unknown> = validateAddBody(body, '2026-11-21');
const entry: CatalogueEntry | undefined = result.ok ? undefined : result.error;
const status: 400 | 401 | 403 | 404 | 405 | 406 | 412 | 413 | 500 | 503 | undefined = entry?.status;
const flag: FgmFlag | undefined = undefined;
export const checks = [isValidNhsNumber('9000000009'), entry?.key === 'A2', status === 400, typeof decideAdd, flag,
  toOperationOutcome(catalogue.S1, 'x').issue[0].diagnostics];
`;
  writeFileSync(join(consumer, 'node-esm.mjs'), usage.replace(/^import type.*$/m, '').replace(/: [A-Za-z<>| 0-9]+(?= =)/g, ''));
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', "import('./node-esm.mjs').then((m) => console.log(JSON.stringify(m.checks)))"],
    {
      ...quiet,
      cwd: consumer,
    },
  ).trim();
  if (out !== '[true,true,true,"function",null,"Invalid NHS number"]') fail(`Node ESM import gave ${out}`);
  step('Node ESM import: works');

  const tsc = require.resolve('typescript/bin/tsc');
  for (const [name, compilerOptions] of [
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ]) {
    const dir = join(consumer, `ts-${name}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.mts'), usage);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { ...compilerOptions, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [] },
        files: ['index.mts'],
      }),
    );
    execFileSync(process.execPath, [tsc, '-p', dir], { stdio: 'inherit', cwd: consumer });
    step(`TypeScript, moduleResolution ${name}: typechecks`);
  }

  const esbuild = require('esbuild');
  const sizes = [];
  for (const [name, source] of [
    ['validator (validateAddBody, decideAdd, toOperationOutcome)', usage.replace(/^import type.*$/m, '')],
    ['the whole API', "import * as rules from '@fgm-is/rules'; console.log(rules);"],
  ]) {
    const result = await esbuild.build({
      stdin: { contents: source, resolveDir: consumer, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].contents;
    sizes.push({ bundle: name, raw: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength });
  }
  for (const s of sizes) step(`browser bundle, ${s.bundle}: ${(s.raw / 1024).toFixed(1)} KiB raw, ${(s.gzip / 1024).toFixed(1)} KiB gzip`);
  step('all checks passed');
} finally {
  rmSync(work, { recursive: true, force: true });
}
