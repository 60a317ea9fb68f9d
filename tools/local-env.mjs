/**
 * Runs one command with the environment the project's scripts give its
 * tools, so that they write nothing outside the repository and report
 * nothing home:
 *
 * - Wrangler keeps a debug log of every command (with every Worker log line
 *   of a local run), its dev registry and a metrics id under the user's
 *   config folder (`~/.wrangler` when that exists, else
 *   `$XDG_CONFIG_HOME/.wrangler`). Here its logs go to `.wrangler/logs` and
 *   its registry to `.wrangler/registry` of the folder the script runs in
 *   (the package's; `.wrangler/` is git-ignored), and `XDG_CONFIG_HOME` to
 *   `.wrangler/config`, for the metrics id.
 * - Wrangler's usage metrics are off (`WRANGLER_SEND_METRICS=false`), and so
 *   are turbo's telemetry (`TURBO_TELEMETRY_DISABLED=1`), wrangler's banner
 *   and its download of a `Request.cf` sample. A value you set yourself wins.
 *
 * With `--operator` (the commands that act on a Cloudflare account with your
 * own `wrangler login`: `npm run provision`, `npm run audit -- --remote`),
 * only the log and registry folders move; your wrangler configuration and
 * metrics choice are left as they are.
 *
 * `XDG_CONFIG_HOME` as it was is kept in `FGM_IS_OUTER_XDG_CONFIG_HOME` (empty
 * when it was unset), for the few child commands, such as git in the bench,
 * that should read the user's own configuration: {@link outerEnv}.
 *
 * Usage (in a package.json script): node ../../tools/local-env.mjs [--operator] <command> [args…]
 * Exits with the command's exit code (or re-raises the signal that ended it).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The environment for a command run in `dir` (see the module comment). */
export function localEnv(dir, base = process.env, { operator = false } = {}) {
  const env = { ...base };
  const wrangler = resolve(dir, '.wrangler');
  env.WRANGLER_LOG_PATH = join(wrangler, 'logs');
  env.WRANGLER_REGISTRY_PATH = join(wrangler, 'registry');
  if (operator) return env;
  env.FGM_IS_OUTER_XDG_CONFIG_HOME ??= base.XDG_CONFIG_HOME ?? '';
  env.XDG_CONFIG_HOME = join(wrangler, 'config');
  env.WRANGLER_SEND_METRICS ??= 'false';
  env.TURBO_TELEMETRY_DISABLED ??= '1';
  env.WRANGLER_HIDE_BANNER ??= 'true';
  env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
  return env;
}

/**
 * `env` with `XDG_CONFIG_HOME` as it was before {@link localEnv} moved it into
 * the package, for commands that should read the user's own configuration
 * (git: `safe.directory` and the like). `env` itself when nothing was moved.
 */
export function outerEnv(env = process.env) {
  const outer = env.FGM_IS_OUTER_XDG_CONFIG_HOME;
  if (outer === undefined) return env;
  const { XDG_CONFIG_HOME: _moved, ...rest } = env;
  return outer === '' ? rest : { ...rest, XDG_CONFIG_HOME: outer };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const operator = args[0] === '--operator';
  const [command, ...rest] = operator ? args.slice(1) : args;
  if (!command) {
    console.error('usage: node tools/local-env.mjs [--operator] <command> [args…]');
    process.exit(2);
  }
  const child = spawn(command, rest, {
    stdio: 'inherit',
    env: localEnv(process.cwd(), process.env, { operator }),
    shell: process.platform === 'win32',
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`local-env: could not run ${command}: ${error.message}`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
