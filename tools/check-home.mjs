/**
 * The check that the project's local commands write nothing outside the
 * repository. Wrangler keeps its debug log (every Worker log line of every
 * local run), its dev registry and a metrics id under the user's config
 * folder, and turbo its telemetry id; each package script sets
 * `XDG_CONFIG_HOME` to the package's git-ignored `.wrangler/config` (or, for
 * the operator commands that need the user's own wrangler login, only
 * `WRANGLER_LOG_PATH`), and the root scripts switch turbo's telemetry off.
 *
 * This runs `npm start` (until `/_ping` answers and one search has been
 * logged), the deploy dry-run, the generated-types check and the benchmark's
 * smoke run with `HOME` set to an empty temporary folder, then lists what
 * appeared there. npm's own folder (`.npm`: its cache and logs) is npm's, not
 * ours; anything else fails the check.
 *
 * Usage: node tools/check-home.mjs. Exit 0 when nothing else appeared, 1 otherwise.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const home = mkdtempSync(join(tmpdir(), 'fgm-is-home-'));
const env = { ...process.env, HOME: home, npm_config_update_notifier: 'false' };
for (const name of ['XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'WRANGLER_LOG_PATH', 'WRANGLER_REGISTRY_PATH'])
  delete env[name];

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

/** Runs an npm command in the temporary home, inheriting nothing but its output on failure. */
function npm(args) {
  return execFileSync('npm', args, { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

/** `npm start` on a free port until `/_ping` answers, then one logged search; the process group is stopped after. */
async function startAndSearch() {
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
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`npm start did not answer /_ping within 180 s:\n${output.slice(-2000)}`);
      const ok = await fetch(`${base}/_ping`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((wait) => setTimeout(wait, 500));
    }
    const token = npm(['run', '-s', 'token', '--', '--activities', 'B0380']).trim();
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

try {
  await startAndSearch();
  npm(['run', 'deploy:dry-run']);
  npm(['run', 'types:check', '-w', '@fgm-is/api']);
  npm(['run', 'bench', '--', '--smoke']);
  const outside = written(home);
  if (outside.length > 0) {
    console.error(`Written outside the repository (under HOME):\n${outside.map((path) => `  ~/${path}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.info(
      'check-home: npm start, the deploy dry-run, the types check and the bench smoke run wrote nothing outside the repository (besides npm’s own ~/.npm)',
    );
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
