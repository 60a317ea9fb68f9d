/**
 * `npm run provision -- --env <integration|production> [--dry-run]`: creates, in the
 * Cloudflare account wrangler is signed in to, what that environment's Worker needs
 * before `wrangler deploy --env <env>` and that the pinned wrangler (4.86) does not
 * create itself, then applies the D1 migrations. Idempotent: what exists is kept, and
 * only migrations not yet applied are applied, so it runs before every deploy.
 *
 *   queues      the audit queue and its dead-letter queue (`wrangler queues create`):
 *               4.86's deploy creates no queue; it stops with "Queue … does not exist"
 *   D1          the audit database (`wrangler d1 create`), when none of its name exists.
 *               Deploy would create it too, but its migrations must be applied before
 *               the Worker takes traffic, and 4.86's remote D1 commands (`d1 migrations
 *               apply`, `d1 execute`) need the database's id in the configuration
 *   migrations  `wrangler d1 migrations apply --remote`: through wrangler.toml once its
 *               `database_id` is set; on the first run, before it is, through a
 *               configuration written to .wrangler/provision/<env>.toml (git-ignored)
 *               naming the id, which is then printed to put in wrangler.toml
 *
 * It refuses (changing nothing) a `database_id` that is not the database of the
 * binding's `database_name`: an environment pointed at another one's audit trail.
 * Left to `wrangler deploy`, which creates them when missing: the KV namespaces (titled
 * `<worker>-<binding>`; later deploys keep the ones the Worker has bound) and the R2
 * bucket. Every look-up runs first and is read-only; a real run changes nothing unless
 * all of them answered. `--dry-run` runs only the look-ups and prints the commands it
 * would run; where a look-up cannot answer (not signed in, no network) it says so and
 * prints the command as "if missing". See docs/deploy.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

/** What one wrangler run printed, and how it ended. */
export interface WranglerResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs wrangler with these arguments: capturing its output (look-ups) or showing it to the operator (changes, prompts). */
export type Wrangler = (args: readonly string[], mode: 'capture' | 'show') => Promise<WranglerResult>;

/** The part of wrangler's resolved configuration (`unstable_readConfig`) for one environment read here. */
export interface ConfigForProvisioning {
  readonly name?: string | undefined;
  readonly configPath?: string | undefined;
  readonly queues: {
    readonly producers?: readonly { readonly queue: string }[] | undefined;
    readonly consumers?: readonly { readonly queue: string; readonly dead_letter_queue?: string | undefined }[] | undefined;
  };
  readonly d1_databases: readonly {
    readonly binding: string;
    readonly database_name?: string | undefined;
    readonly database_id?: string | undefined;
    readonly migrations_dir?: string | undefined;
    readonly migrations_table?: string | undefined;
  }[];
  readonly kv_namespaces: readonly { readonly binding: string; readonly id?: string | undefined }[];
  readonly r2_buckets: readonly { readonly binding: string; readonly bucket_name?: string | undefined }[];
}

/** A D1 database the environment binds. */
export interface DatabaseNeed {
  readonly binding: string;
  readonly name: string;
  /** Its `database_id` when the configuration sets one (a UUID; a placeholder is not one): then the configuration serves the migrations. */
  readonly id: string | undefined;
  /** Absolute. */
  readonly migrationsDir: string;
  readonly migrationsTable: string | undefined;
}

/** What one environment needs before its deploy, read from its configuration. */
export interface EnvironmentNeeds {
  readonly environment: string;
  readonly worker: string;
  /** Absolute path of the wrangler configuration. */
  readonly configPath: string;
  /** Every queue it produces to or consumes, dead-letter queues included, each once. */
  readonly queues: readonly string[];
  readonly databases: readonly DatabaseNeed[];
  /** What `wrangler deploy` creates itself, in words (printed, never run here). */
  readonly leftToDeploy: readonly string[];
}

/** @internal A D1 database id; anything else in `database_id` (such as "replace-with-…") is a placeholder. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads what an environment needs from its resolved configuration. */
export function needsOf(environment: string, config: ConfigForProvisioning): EnvironmentNeeds {
  if (!config.name) throw new Error(`[env.${environment}] has no Worker name`);
  if (!config.configPath) throw new Error('the configuration has no path');
  const worker = config.name;
  const configDir = path.dirname(config.configPath);
  const queues = [
    ...(config.queues.producers ?? []).map((p) => p.queue),
    ...(config.queues.consumers ?? []).flatMap((c) => [c.queue, ...(c.dead_letter_queue ? [c.dead_letter_queue] : [])]),
  ];
  const databases = config.d1_databases.map((d) => {
    if (!d.database_name) throw new Error(`[env.${environment}] D1 binding ${d.binding} has no database_name`);
    return {
      binding: d.binding,
      name: d.database_name,
      id: d.database_id && UUID.test(d.database_id) ? d.database_id : undefined,
      migrationsDir: path.resolve(configDir, d.migrations_dir ?? 'migrations'),
      migrationsTable: d.migrations_table,
    };
  });
  const leftToDeploy = [
    ...config.kv_namespaces
      .filter((kv) => !kv.id)
      .map(
        (kv) =>
          `KV ${kv.binding}: \`wrangler deploy\` creates "${worker}-${kv.binding.toLowerCase().replaceAll('_', '-')}" unless the Worker has one bound`,
      ),
    ...config.r2_buckets.map((r2) => `R2 ${r2.binding}: \`wrangler deploy\` creates the bucket "${r2.bucket_name}" if it is missing`),
  ];
  return { environment, worker, configPath: config.configPath, queues: [...new Set(queues)], databases, leftToDeploy };
}

/** What the look-ups found: per queue, whether it exists; per database name, its id or `null`. `undefined`: could not look. */
export interface Found {
  readonly queues: ReadonlyMap<string, boolean | undefined>;
  readonly databases: ReadonlyMap<string, string | null | undefined>;
  /** Why a look-up could not answer, or what it found wrong, one line each. */
  readonly problems: readonly string[];
}

/** The last few lines of what a failed wrangler run said, for the operator. */
const tail = (result: WranglerResult) =>
  stripVTControlCharacters(`${result.stderr}\n${result.stdout}`)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-3)
    .join(' | ');

/** Looks up, read-only, which queues and databases exist. */
export async function lookUp(needs: EnvironmentNeeds, wrangler: Wrangler): Promise<Found> {
  const problems: string[] = [];
  const queues = new Map<string, boolean | undefined>();
  for (const queue of needs.queues) {
    // `queues list` prints a table only; `queues info` ends 0 for a queue that exists, and says so for one that does not.
    const result = await wrangler(['queues', 'info', queue], 'capture');
    if (result.code === 0) queues.set(queue, true);
    else if (/does not exist/.test(`${result.stdout}${result.stderr}`)) queues.set(queue, false);
    else {
      queues.set(queue, undefined);
      problems.push(`could not check queue ${queue}: \`wrangler queues info\` failed: ${tail(result)}`);
    }
  }
  const databases = new Map<string, string | null | undefined>();
  if (needs.databases.length > 0) {
    const result = await wrangler(['d1', 'list', '--json'], 'capture');
    const listed = result.code === 0 ? parseDatabaseList(result.stdout) : undefined;
    if (listed === undefined) problems.push(`could not check D1: \`wrangler d1 list --json\` failed: ${tail(result)}`);
    for (const database of needs.databases) {
      const id = listed === undefined ? undefined : (listed.get(database.name) ?? null);
      databases.set(database.name, id);
      if (database.id !== undefined && listed !== undefined && id !== database.id) {
        problems.push(
          `D1 ${database.binding}: database_id ${database.id} is not the database named ${database.name} (${id ?? 'none of that name exists'})`,
        );
      }
    }
  }
  return { queues, databases, problems };
}

/** `wrangler d1 list --json`'s databases by name, or `undefined` when it printed no such list. */
function parseDatabaseList(stdout: string): Map<string, string> | undefined {
  const start = stdout.indexOf('[');
  if (start === -1) return undefined;
  try {
    const list: unknown = JSON.parse(stdout.slice(start));
    if (!Array.isArray(list)) return undefined;
    const byName = new Map<string, string>();
    for (const entry of list as { name?: unknown; uuid?: unknown }[]) {
      if (typeof entry.name === 'string' && typeof entry.uuid === 'string') byName.set(entry.name, entry.uuid);
    }
    return byName;
  } catch {
    return undefined;
  }
}

/** One thing to do, in order. */
export type Step =
  | { readonly kind: 'create-queue'; readonly queue: string; readonly unchecked: boolean }
  | { readonly kind: 'create-database'; readonly database: DatabaseNeed; readonly unchecked: boolean }
  | { readonly kind: 'migrate'; readonly database: DatabaseNeed };

/** The steps for what is missing (or could not be checked), then the migrations of every database. */
export function plan(needs: EnvironmentNeeds, found: Found): Step[] {
  const steps: Step[] = [];
  for (const queue of needs.queues) {
    const exists = found.queues.get(queue);
    if (exists !== true) steps.push({ kind: 'create-queue', queue, unchecked: exists === undefined });
  }
  for (const database of needs.databases) {
    const id = found.databases.get(database.name);
    if (database.id === undefined && (id === null || id === undefined))
      steps.push({ kind: 'create-database', database, unchecked: id === undefined });
  }
  for (const database of needs.databases) steps.push({ kind: 'migrate', database });
  return steps;
}

/** Where the configuration for a database's migrations is written (git-ignored, beside the Worker's own state). */
export const generatedConfigPath = (needs: EnvironmentNeeds) =>
  path.join(path.dirname(needs.configPath), '.wrangler', 'provision', `${needs.environment}.toml`);

/** The configuration `wrangler d1 migrations apply --remote` reads for a database whose id wrangler.toml does not have yet. */
export function migrationsConfig(needs: EnvironmentNeeds, database: DatabaseNeed, id: string): string {
  // JSON strings are TOML basic strings (the same escapes).
  const q = JSON.stringify;
  return [
    `# Written by scripts/provision.ts for \`wrangler d1 migrations apply --remote\` on [env.${needs.environment}]'s ${database.binding}:`,
    '# wrangler 4.86 needs the database id for remote D1 commands, and wrangler.toml does not have it yet. Rewritten on each run.',
    `name = ${q(needs.worker)}`,
    '',
    '[[d1_databases]]',
    `binding = ${q(database.binding)}`,
    `database_name = ${q(database.name)}`,
    `database_id = ${q(id)}`,
    `migrations_dir = ${q(database.migrationsDir)}`,
    ...(database.migrationsTable ? [`migrations_table = ${q(database.migrationsTable)}`] : []),
    '',
  ].join('\n');
}

/** The wrangler arguments of a step, run from the configuration's folder. */
export function commandOf(step: Step, needs: EnvironmentNeeds): string[] {
  const dir = path.dirname(needs.configPath);
  switch (step.kind) {
    case 'create-queue':
      return ['queues', 'create', step.queue];
    case 'create-database':
      return ['d1', 'create', step.database.name];
    case 'migrate':
      return step.database.id !== undefined
        ? ['d1', 'migrations', 'apply', step.database.binding, '--remote', '-c', path.relative(dir, needs.configPath), '--env', needs.environment]
        : ['d1', 'migrations', 'apply', step.database.binding, '--remote', '-c', path.relative(dir, generatedConfigPath(needs))];
  }
}

/** How the script reports and writes: injected, so a test sees everything and touches no file. */
export interface Io {
  readonly log: (line: string) => void;
  readonly writeFile: (file: string, text: string) => void;
}

/**
 * Looks up what exists, then (unless `dryRun`) creates what is missing and applies the
 * migrations. Throws, having changed nothing, when a look-up could not answer in a real
 * run; throws on the first command that fails.
 */
export async function provision(
  needs: EnvironmentNeeds,
  wrangler: Wrangler,
  options: { readonly dryRun: boolean; readonly io: Io },
): Promise<Step[]> {
  const { io } = options;
  const found = await lookUp(needs, wrangler);
  for (const problem of found.problems) io.log(`! ${problem}`);
  if (found.problems.length > 0 && !options.dryRun) {
    throw new Error('a look-up failed or found the configuration wrong (signed in? `npx wrangler whoami`); nothing was changed');
  }
  for (const [queue, exists] of found.queues) if (exists) io.log(`= queue ${queue} exists`);
  for (const [name, id] of found.databases) if (id) io.log(`= D1 database ${name} exists (${id})`);

  const steps = plan(needs, found);
  const ids = new Map(found.databases);
  /** A database's id: as looked up, or (just created) listed again, once. */
  const idOf = async (database: DatabaseNeed): Promise<string> => {
    const known = ids.get(database.name);
    if (known) return known;
    const result = await wrangler(['d1', 'list', '--json'], 'capture');
    const id = result.code === 0 ? parseDatabaseList(result.stdout)?.get(database.name) : undefined;
    if (!id) throw new Error(`D1 database ${database.name} not found after creating it: ${tail(result)}`);
    ids.set(database.name, id);
    return id;
  };
  const show = (args: readonly string[]) => `npx wrangler ${args.join(' ')}`;
  for (const step of steps) {
    const args = commandOf(step, needs);
    const unchecked = step.kind !== 'migrate' && step.unchecked ? '   (if missing: could not check)' : '';
    const generated = step.kind === 'migrate' && step.database.id === undefined ? "   (after writing that file with the database's id)" : '';
    if (options.dryRun) {
      io.log(`would run: ${show(args)}${unchecked}${generated}`);
      continue;
    }
    if (step.kind === 'migrate' && step.database.id === undefined) {
      const id = await idOf(step.database);
      const file = generatedConfigPath(needs);
      io.writeFile(file, migrationsConfig(needs, step.database, id));
    }
    io.log(`> ${show(args)}`);
    const result = await wrangler(args, 'show');
    if (result.code !== 0) throw new Error(`\`${show(args)}\` failed (exit ${result.code})`);
  }
  for (const line of needs.leftToDeploy) io.log(`- ${line}`);
  for (const database of needs.databases.filter((d) => d.id === undefined)) {
    const id = options.dryRun ? ids.get(database.name) : await idOf(database);
    io.log(
      `* before \`wrangler deploy --env ${needs.environment}\`, set in wrangler.toml's [[env.${needs.environment}.d1_databases]] (${database.binding}): ` +
        `database_id = "${id ?? '<the id `wrangler d1 create` prints>'}"`,
    );
  }
  return steps;
}

/** Runs the wrangler this workspace pins, from `cwd`. */
function wranglerProcess(cwd: string): Wrangler {
  const bin = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
  return (args, mode) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], {
        cwd,
        stdio: mode === 'capture' ? ['ignore', 'pipe', 'pipe'] : 'inherit',
        env: mode === 'capture' ? { ...process.env, WRANGLER_HIDE_BANNER: 'true' } : process.env,
      });
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
}

const USAGE = 'usage: npm run provision -- --env <environment> [--dry-run]   (a named environment of apps/api/wrangler.toml)';

async function main(args: readonly string[]): Promise<void> {
  const at = args.indexOf('--env');
  const environment = at === -1 ? undefined : args[at + 1];
  const known = new Set(['--env', '--dry-run', environment]);
  const configPath = fileURLToPath(new URL('../wrangler.toml', import.meta.url));
  process.env.WRANGLER_LOG ??= 'error';
  const { experimental_readRawConfig, unstable_readConfig } = await import('wrangler');
  const named = Object.keys(experimental_readRawConfig({ config: configPath }).rawConfig.env ?? {});
  if (!environment || !named.includes(environment) || args.some((arg) => !known.has(arg))) {
    // The top level is the local sandbox; its names are production's, so it is never provisioned.
    console.error(`${USAGE}\nenvironments: ${named.join(', ')}`);
    process.exit(2);
  }
  const needs = needsOf(environment, unstable_readConfig({ config: configPath, env: environment }));
  const dryRun = args.includes('--dry-run');
  console.info(
    `${dryRun ? 'Dry run: ' : ''}[env.${environment}] of ${path.relative(process.cwd(), configPath) || configPath}, Worker ${needs.worker}`,
  );
  const io: Io = {
    log: (line) => console.info(line),
    writeFile: (file, text) => {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    },
  };
  try {
    await provision(needs, wranglerProcess(path.dirname(configPath)), { dryRun, io });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  if (!dryRun)
    console.info(`Done. Next: the secrets, then \`npx wrangler deploy --env ${environment}\` in apps/docs and in apps/api (docs/deploy.md).`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
