/**
 * The bench's server process: one checkout's bench Worker (wrangler's
 * `unstable_startWorker`, workerd beneath it) on 127.0.0.1, apart from the
 * load client (`startBench` in before.ts spawns it). Prints
 * `{"base":"http://127.0.0.1:<port>"}` once the sandbox is loaded, and stops
 * the Worker and exits when its stdin closes or it is told to stop.
 *
 *   tsx src/serve.ts <checkout directory>
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unstable_splitSqlQuery, unstable_startWorker } from 'wrangler';

/**
 * @internal The entry the checkout's bench Worker is started from: that
 * Worker, with the API's audit queue consumer where it exports none. Bench
 * Workers before 2026-12-08 had none, so every audit record their requests
 * sent failed delivery and was retried, each retry logged through wrangler:
 * work no deployment does, which inflated their figures (and ours, before
 * this checkout's bench Worker exported it). Git-ignored, inside the
 * checkout, so that its imports resolve there.
 */
function entryOf(dir: string): string {
  const folder = join(dir, 'bench/.wrangler');
  mkdirSync(folder, { recursive: true });
  const entry = join(folder, 'entry.ts');
  writeFileSync(
    entry,
    [
      "import api from '../../apps/api/src/index.ts';",
      "import bench from '../worker/index.ts';",
      "export * from '../worker/index.ts';",
      'export default { ...bench, queue: bench.queue ?? api.queue };',
      '',
    ].join('\n'),
  );
  return entry;
}

/** Starts a checkout's bench Worker on 127.0.0.1 with the sandbox loaded (D1 migrations, fixtures); its base URL and a disposer. */
async function startInThisProcess(dir: string): Promise<{ base: string; dispose: () => Promise<void> }> {
  const inApp = existsSync(join(dir, 'apps/api/wrangler.toml'));
  const worker = await unstable_startWorker({
    config: join(dir, inApp ? 'apps/api/wrangler.toml' : 'wrangler.toml'),
    entrypoint: entryOf(dir),
    sendMetrics: false,
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      liveReload: false,
      logLevel: 'error',
      // Since the docs became a Worker of their own, the API's DOCS binding (never called here) is left unconnected
      // through a dev registry of the bench's own, as `wrangler dev` leaves a service that is not running; without a
      // registry the runtime refuses to start. Git-ignored, inside the repository.
      ...(inApp ? { registry: join(dir, 'bench/.wrangler/registry') } : {}),
    },
  });
  const base = (await worker.url).toString().replace(/\/$/, '');
  const post = async (path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, { method: 'POST', body: body === undefined ? null : JSON.stringify(body) });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
  };
  for (const file of readdirSync(join(dir, 'apps/api/migrations')).sort()) {
    await post('/__bench/sql', unstable_splitSqlQuery(readFileSync(join(dir, 'apps/api/migrations', file), 'utf8')));
  }
  await post('/__bench/sandbox');
  return { base, dispose: () => worker.dispose() };
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: tsx src/serve.ts <checkout directory>');
const { base, dispose } = await startInThisProcess(dir);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await dispose();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`${JSON.stringify({ base })}\n`);
