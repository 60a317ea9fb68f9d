/**
 * The supplier kit as a supplier gets it, against the real local server
 * (`wrangler dev`, what `npm start` runs, here with `--minify`: the bundle
 * built as the deployments build it): the tarballs of @fgm-is/rules,
 * @fgm-is/client and @fgm-is/conformance installed into a scratch project,
 * then
 *
 * - the client's plain Node ESM example (`examples/sandbox.mjs`: search,
 *   add, read, remove and the three legacy interactions, with a typed error)
 *   runs, twice;
 * - `npx fgm-is-conformance --base <server>` passes, twice in a row on the
 *   same state, prints `N passed, 0 failed` last and writes JUnit XML.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxServer, startSandboxServer } from './support/server.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = ['packages/fgm-rules', 'packages/fgm-client', 'packages/fgm-conformance'];

let server: SandboxServer | undefined;
let scratch = '';

/** Runs a command in the scratch project; resolves with its exit code and output, whatever the code. */
async function inScratch(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: scratch, timeout: 120_000, maxBuffer: 8 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'fgm-supplier-'));
  const tarballs = join(scratch, 'tarballs');
  await mkdir(tarballs);
  // npm pack runs each package's prepack (its build), as publishing would.
  const packed: string[] = [];
  for (const dir of PACKAGES) {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tarballs], { cwd: join(ROOT, dir), timeout: 120_000 });
    packed.push(join(tarballs, (JSON.parse(stdout) as Array<{ filename: string }>)[0]?.filename ?? ''));
  }
  await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'supplier', private: true, type: 'module' }));
  await run('npm', ['install', ...packed, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: scratch, timeout: 180_000 });
  // Bundled as production bundles it (minified, no name-keeping wrappers): the kit's 92 checks run against that build.
  server = await startSandboxServer({ minify: true });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the supplier kit from its tarballs, against the local server', () => {
  it('the client’s plain Node ESM example does every interaction of both channels, twice', async () => {
    for (const round of [1, 2]) {
      const result = await inScratch(process.execPath, ['node_modules/@fgm-is/client/examples/sandbox.mjs', server?.baseUrl ?? '']);
      expect({ round, code: result.code, stderr: result.stderr }).toEqual({ round, code: 0, stderr: '' });
      const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { ok: boolean; steps: Array<{ step: string; got: string }> };
      expect(summary.ok).toBe(true);
      expect(summary.steps.map((step) => step.got)).toEqual(expect.arrayContaining(['400 VALIDATION_ERROR', '404 NO_RECORD_FOUND']));
      expect(summary.steps.filter((step) => step.step.startsWith('legacy')).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('npx fgm-is-conformance passes, twice in a row, prints "N passed, 0 failed" last and writes JUnit', async () => {
    for (const round of [1, 2]) {
      const junit = join(scratch, `junit-${round}.xml`);
      const result = await inScratch('npx', ['--no-install', 'fgm-is-conformance', '--base', server?.baseUrl ?? '', '--junit', junit]);
      const last = result.stdout.trim().split('\n').at(-1) ?? '';
      expect({ round, code: result.code, last }).toEqual({ round, code: 0, last: expect.stringMatching(/^\d+ passed, 0 failed$/) });
      const xml = await readFile(junit, 'utf8');
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="fgm-is-conformance" tests="\d+" failures="0"/);
    }
  });

  it('exits 1 and names the failed check with its clause when the server is wrong (here: another secret, so tokens fail)', async () => {
    const result = await inScratch('npx', [
      '--no-install',
      'fgm-is-conformance',
      '--base',
      server?.baseUrl ?? '',
      '--secret',
      'not-the-sandbox-secret',
      '--only',
      'D-10-found',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[D-10, §2.1] search finds the seeded active flag');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  it('refuses bad arguments with exit code 2 and the usage', async () => {
    const result = await inScratch('npx', ['--no-install', 'fgm-is-conformance', '--channels', 'soap']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: fgm-is-conformance --base <url>');
  });
});
