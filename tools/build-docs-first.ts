/**
 * Makes sure the docs Worker's build (`apps/docs/dist/`) is current before a
 * test configuration uses it: through turbo, which replays its cache when
 * nothing the build reads changed (about a second), so a single test file
 * run by hand never meets a stale or missing build. Under turbo itself
 * (`npm test`, which sets `TURBO_HASH` for each task) it does nothing: the
 * task's `dependsOn` (turbo.json) built it first, and turbo must not be run
 * inside turbo.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Builds `@fgm-is/docs` (and what it depends on) unless a turbo task runs this process. */
export function buildDocsFirst(): void {
  if (process.env.TURBO_HASH) return;
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  try {
    execFileSync(npx, ['--no-install', 'turbo', 'run', 'build', '--filter=@fgm-is/docs', '--output-logs=errors-only'], {
      cwd: ROOT,
      stdio: 'pipe',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: Buffer | string; stderr?: Buffer | string };
    throw new Error(`the docs build failed (npx turbo run build --filter=@fgm-is/docs):\n${stdout}${stderr}`);
  }
}
