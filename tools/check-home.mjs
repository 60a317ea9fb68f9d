/**
 * The check that the project's commands write nothing under the user's home
 * folder. Wrangler keeps a debug log of every command (with every Worker log
 * line of a local run), its dev registry and a metrics id there, and turbo a
 * telemetry id; the package scripts run their tools through
 * tools/local-env.mjs, which moves all of that into the package's git-ignored
 * `.wrangler/`.
 *
 * First with `HOME` an empty temporary folder: `npm start` (until `/_ping`
 * answers and one search has been logged), the deploy dry-run, the
 * generated-types check, the benchmark's smoke run and a local audit read.
 * Then again, quicker, with a `~/.wrangler` in it as a wrangler user has one
 * (wrangler prefers that folder, where it exists, to `XDG_CONFIG_HOME`),
 * holding only its `metrics.json` with a device id: the types check, a
 * sandbox token and the audit read, which must leave it as it was. npm's own folder (`.npm`: its cache and
 * logs) is npm's, not ours; anything else that appears fails the check. The
 * variables CI sets for the same purpose are removed first, so the scripts
 * must do it themselves. (Temporary files under the OS temporary folder,
 * such as tsx's compile cache, are not checked.)
 *
 * Usage: node tools/check-home.mjs. Exit 0 when nothing else appeared, 1 otherwise.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The variables that would do the scripts' work for them: CI sets some; none may be inherited. */
const INHERITED = [
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  'XDG_STATE_HOME',
  'WRANGLER_LOG_PATH',
  'WRANGLER_REGISTRY_PATH',
  'WRANGLER_SEND_METRICS',
  'WRANGLER_HIDE_BANNER',
  'CLOUDFLARE_CF_FETCH_ENABLED',
  'TURBO_TELEMETRY_DISABLED',
  'FGM_IS_OUTER_XDG_CONFIG_HOME',
];

/** The environment of a command run with `home` as HOME. */
function envIn(home) {
  const env = { ...process.env, HOME: home, npm_config_update_notifier: 'false' };
  for (const name of INHERITED) delete env[name];
  return env;
}

/** A port nothing listens on. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolvePort(port));
    });
  });
}

/** Runs an npm command with `env`; its stdout (a failure throws with its output). */
function npm(env, args) {
  return execFileSync('npm', args, { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

/** `npm start` on a free port until `/_ping` answers, then one logged search; the process group is stopped after. */
async function startAndSearch(env) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...env, PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`npm start ended (${child.exitCode ?? child.signalCode}):\n${output.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`npm start did not answer /_ping within 180 s:\n${output.slice(-2000)}`);
      const ok = await fetch(`${base}/_ping`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((wait) => setTimeout(wait, 500));
    }
    const token = npm(env, ['run', '-s', 'token', '--', '--activities', 'B0380']).trim();
    const search = await fetch(`${base}/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009`, {
      headers: { Authorization: `Bearer ${token}`, TraceID: 'check-home', FromASID: '200000000001', ToASID: '200000000000' },
    });
    if (search.status !== 200) throw new Error(`the search answered ${search.status}`);
    // The request log line is written after the response; give wrangler a moment to read it.
    await new Promise((wait) => setTimeout(wait, 1000));
  } finally {
    try {
      process.kill(-(/** @type {number} */ (child.pid)), 'SIGTERM');
    } catch {}
    await new Promise((done) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
        } catch {}
        done(undefined);
      }, 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done(undefined);
      });
    });
  }
}

/** Every file and folder under `dir`, relative to it, except npm's own `.npm`. */
function written(dir) {
  const found = [];
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (path === dir && entry.name === '.npm') continue;
      found.push(relative(dir, full) + (entry.isDirectory() ? '/' : ''));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return found;
}

/** Reports what appeared under `home` besides npm's own and what was `made` before; true when nothing did. */
function report(home, label, made = []) {
  const outside = written(home).filter((path) => !made.includes(path));
  if (outside.length === 0) return true;
  console.error(`${label}: written under HOME:\n${outside.map((path) => `  ~/${path}`).join('\n')}`);
  return false;
}

const AUDIT_READ = ['run', 'audit', '--', 'day', '2026-01-01'];
const first = mkdtempSync(join(tmpdir(), 'fgm-is-home-'));
const second = mkdtempSync(join(tmpdir(), 'fgm-is-home-'));
try {
  const env = envIn(first);
  await startAndSearch(env);
  npm(env, ['run', 'deploy:dry-run']);
  npm(env, ['run', 'types:check', '-w', '@fgm-is/api']);
  npm(env, ['run', 'bench', '--', '--smoke']);
  npm(env, AUDIT_READ);
  const clean = report(first, 'empty HOME');

  // A wrangler user's ~/.wrangler: wrangler writes its metrics id there (whatever XDG_CONFIG_HOME says) when none is.
  const metrics = join(second, '.wrangler', 'metrics.json');
  const metricsText = '{"deviceId":"00000000-0000-4000-8000-000000000000"}\n';
  mkdirSync(join(second, '.wrangler'));
  writeFileSync(metrics, metricsText);
  const withLegacy = envIn(second);
  npm(withLegacy, ['run', 'types:check', '-w', '@fgm-is/api']);
  npm(withLegacy, ['run', '-s', 'token', '--', '--activities', 'B0380']);
  npm(withLegacy, AUDIT_READ);
  let cleanWithLegacy = report(second, 'HOME with ~/.wrangler', ['.wrangler/', '.wrangler/metrics.json']);
  if (readFileSync(metrics, 'utf8') !== metricsText) {
    console.error('HOME with ~/.wrangler: ~/.wrangler/metrics.json was changed');
    cleanWithLegacy = false;
  }
  if (clean && cleanWithLegacy)
    console.info(
      'check-home: npm start, the deploy dry-run, the types check, the bench smoke run, a token and an audit read wrote nothing under HOME (besides npm’s own ~/.npm), with and without ~/.wrangler',
    );
  else process.exitCode = 1;
} finally {
  rmSync(first, { recursive: true, force: true });
  rmSync(second, { recursive: true, force: true });
}
