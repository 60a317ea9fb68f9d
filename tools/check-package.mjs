/**
 * Checks a publishable package as npm would publish it, not as the
 * workspace sees it. Run from the package's folder (`npm run check:package`):
 *
 * 1. `npm pack` (which builds `dist/` through `prepack`), then the tarball's
 *    file list: package.json, README, LICENSE and the build; no tests, no
 *    test support, no scripts.
 * 2. publint on the unpacked tarball, and @arethetypeswrong/cli on the tarball.
 * 3. A scratch consumer installs the tarball, and the tarballs of the
 *    workspace packages it depends on, from disk (as a user's `npm install`
 *    would fetch them from the registry), then the package's
 *    `scripts/consumer.mts` (which imports it by name and asserts what it
 *    gets) is type-checked with `moduleResolution` `nodenext` and `bundler`,
 *    compiled and run in plain Node ESM, and bundled for the browser with
 *    esbuild (its size printed, with the size of the whole API).
 *
 * Exits non-zero on the first failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const packageDir = process.cwd();
const root = resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const quiet = { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' };
const step = (text) => process.stdout.write(`check-package ${manifest.name}: ${text}\n`);
const fail = (text) => {
  process.stderr.write(`check-package ${manifest.name}: FAILED: ${text}\n`);
  process.exit(1);
};

/** The workspace folder of each publishable package of this repository, by name. */
const WORKSPACE_PACKAGES = {
  '@fgm-is/rules': 'packages/fgm-rules',
  '@fgm-is/client': 'packages/fgm-client',
  '@fgm-is/conformance': 'packages/fgm-conformance',
};

/** Packs a workspace package into `into`, returning the tarball's path and npm's report. */
function pack(dir, into) {
  const [packed] = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', into], { ...quiet, cwd: dir }));
  return { tarball: join(into, packed.filename), packed };
}

const work = mkdtempSync(join(tmpdir(), 'fgm-pack-'));
try {
  // 1. Pack, and look at what the tarball holds.
  const { tarball, packed } = pack(packageDir, work);
  const files = packed.files.map((f) => f.path);
  for (const required of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']) {
    if (!files.includes(required)) fail(`the tarball lacks ${required}`);
  }
  const unwanted = files.filter((f) => /\.test\.|test-support|tsbuildinfo|^scripts\//.test(f));
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

  // 3. A scratch consumer that installs the tarball (and its workspace dependencies' tarballs) like any user would.
  const consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const tarballs = [tarball];
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const dir = WORKSPACE_PACKAGES[dependency];
    if (dir) tarballs.push(pack(join(root, dir), work).tarball);
  }
  execFileSync(npm, ['install', ...tarballs, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { ...quiet, cwd: consumer });

  const usagePath = join(packageDir, 'scripts', 'consumer.mts');
  if (!existsSync(usagePath)) fail('scripts/consumer.mts is missing');
  const usage = readFileSync(usagePath, 'utf8');
  const tsc = require.resolve('typescript/bin/tsc');
  for (const [name, compilerOptions] of [
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler', noEmit: true }],
  ]) {
    const dir = join(consumer, `ts-${name}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'consumer.mts'), usage);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { ...compilerOptions, target: 'es2022', lib: ['es2022', 'dom'], strict: true, skipLibCheck: false, types: [] },
        files: ['consumer.mts'],
      }),
    );
    execFileSync(process.execPath, [tsc, '-p', dir], { stdio: 'inherit', cwd: consumer });
    step(`TypeScript, moduleResolution ${name}: typechecks`);
  }
  // The nodenext build, run by plain Node: the script asserts what it gets and exits non-zero otherwise.
  const ran = execFileSync(process.execPath, [join(consumer, 'ts-nodenext', 'out', 'consumer.mjs')], { ...quiet, cwd: consumer }).trim();
  step(`Node ESM: ${ran.split('\n').at(-1)}`);

  const esbuild = require('esbuild');
  for (const [name, source] of [
    ['scripts/consumer.mts', usage],
    ['the whole API', `import * as all from '${manifest.name}'; console.log(all);`],
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
    step(
      `browser bundle, ${name}: ${(code.byteLength / 1024).toFixed(1)} KiB raw, ${(gzipSync(code, { level: 9 }).byteLength / 1024).toFixed(1)} KiB gzip`,
    );
  }
  step('all checks passed');
} finally {
  rmSync(work, { recursive: true, force: true });
}
