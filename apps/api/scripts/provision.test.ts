/**
 * scripts/provision.ts's planning, against a wrangler that is never started (an
 * injected fake answering the look-ups as an account would), and the named
 * environments of wrangler.toml as wrangler itself reads them. Run in Node:
 * `npx tsx --test scripts/provision.test.ts` (in apps/api).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type ConfigForProvisioning,
  type EnvironmentNeeds,
  type Wrangler,
  type WranglerResult,
  generatedConfigPath,
  needsOf,
  provision,
} from './provision.ts';

const CONFIG = fileURLToPath(new URL('../wrangler.toml', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));
const DOCS_CONFIG = fileURLToPath(new URL('../../docs/wrangler.toml', import.meta.url));
process.env.WRANGLER_LOG ??= 'error';
const { experimental_readRawConfig, unstable_readConfig } = await import('wrangler');
/** What these tests read of wrangler's resolved configuration (wrangler's own type of it does not resolve here). */
interface ResolvedConfig extends Omit<ConfigForProvisioning, 'queues'> {
  readonly queues: {
    readonly producers?: readonly { readonly queue: string; readonly binding: string }[];
    readonly consumers?: readonly { readonly queue: string; readonly dead_letter_queue?: string }[];
  };
  readonly r2_buckets: readonly { readonly binding: string; readonly bucket_name?: string }[];
  readonly durable_objects: { readonly bindings: readonly { readonly name: string; readonly class_name: string }[] };
  readonly services?: readonly { readonly binding: string; readonly service: string }[];
  readonly triggers: { readonly crons?: readonly string[] };
  readonly migrations: readonly { readonly tag: string }[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly minify?: boolean;
  readonly keep_names?: boolean;
  readonly observability?: {
    readonly enabled?: boolean;
    readonly logs?: { readonly enabled?: boolean; readonly invocation_logs?: boolean };
    readonly traces?: { readonly enabled?: boolean };
  };
}
const read = (env?: string): ResolvedConfig => unstable_readConfig({ config: CONFIG, ...(env ? { env } : {}) });
const NAMED = Object.keys(experimental_readRawConfig({ config: CONFIG }).rawConfig.env ?? {});

/** A fake wrangler: each look-up answered from `account`, every call recorded, nothing started. */
function fakeAccount(account: { queues: string[]; databases: Record<string, string>; signedIn?: boolean }) {
  const calls: string[] = [];
  const ok = (stdout = ''): WranglerResult => ({ code: 0, stdout, stderr: '' });
  const wrangler: Wrangler = async (args) => {
    calls.push(args.join(' '));
    if (account.signedIn === false)
      return { code: 1, stdout: '', stderr: 'In a non-interactive environment, it is necessary to set a CLOUDFLARE_API_TOKEN' };
    const [group, command, name] = args;
    if (group === 'queues' && command === 'info') {
      return account.queues.includes(name ?? '')
        ? ok(`Queue Name: ${name}`)
        : { code: 1, stdout: '', stderr: `✘ [ERROR] Queue "${name}" does not exist.` };
    }
    if (group === 'queues' && command === 'create') account.queues.push(name ?? '');
    if (group === 'd1' && command === 'list') {
      return ok(JSON.stringify(Object.entries(account.databases).map(([dbName, uuid]) => ({ uuid, name: dbName, version: 'production' }))));
    }
    if (group === 'd1' && command === 'create') account.databases[name ?? ''] = '11111111-2222-4333-8444-555555555555';
    return ok();
  };
  return { wrangler, calls };
}

function io() {
  const lines: string[] = [];
  const files = new Map<string, string>();
  return { lines, files, io: { log: (line: string) => lines.push(line), writeFile: (file: string, text: string) => files.set(file, text) } };
}

const integration = (): EnvironmentNeeds => needsOf('integration', read('integration'));

describe('wrangler.toml: the named environments', () => {
  it('are integration and production', () => {
    assert.deepEqual(NAMED.toSorted(), ['integration', 'production']);
  });

  it('each bind every binding the sandbox binds (a named environment inherits none)', () => {
    const bindings = (env?: string) => {
      const c = read(env);
      return {
        kv: c.kv_namespaces.map((b) => b.binding).sort(),
        d1: c.d1_databases.map((b) => b.binding).sort(),
        r2: c.r2_buckets.map((b) => b.binding).sort(),
        queues: (c.queues.producers ?? []).map((b) => b.binding).sort(),
        durableObjects: c.durable_objects.bindings.map((b) => `${b.name}:${b.class_name}`).sort(),
        services: (c.services ?? []).map((b) => b.binding).sort(),
        crons: c.triggers.crons ?? [],
        migrations: c.migrations.map((m) => m.tag),
        vars: Object.keys(c.vars).sort(),
      };
    };
    for (const env of NAMED) assert.deepEqual(bindings(env), bindings(), `[env.${env}]`);
  });

  it('each build the bundle alike: minified, without name-keeping wrappers (wrangler.toml; the bundle goal of issue 17)', () => {
    for (const env of NAMED) {
      const c = read(env);
      assert.deepEqual({ minify: c.minify, keep_names: c.keep_names }, { minify: true, keep_names: false }, `[env.${env}]`);
    }
  });

  it('write no invocation logs or traces, which carry a search’s NHS number in its URL and KV keys (D-15); the custom log lines stay on (the docs Worker’s too)', () => {
    const docs = (env?: string): ResolvedConfig => unstable_readConfig({ config: DOCS_CONFIG, ...(env ? { env } : {}) });
    for (const [worker, readIt] of [
      ['api', read],
      ['docs', docs],
    ] as const)
      for (const env of [undefined, ...NAMED]) {
        const { observability } = readIt(env);
        assert.deepEqual(
          {
            enabled: observability?.enabled,
            logs: observability?.logs?.enabled,
            invocationLogs: observability?.logs?.invocation_logs,
            traces: observability?.traces?.enabled,
          },
          { enabled: true, logs: true, invocationLogs: false, traces: false },
          `${worker}: ${env ? `[env.${env}]` : 'top level'}`,
        );
      }
  });

  it('keep apart: no Worker, queue, database, bucket or docs Worker is shared', () => {
    const names = (env: string) => {
      const c = read(env);
      return [
        `worker:${c.name}`,
        ...needsOf(env, c).queues.map((q) => `queue:${q}`),
        ...c.d1_databases.map((d) => `d1:${d.database_name}`),
        ...c.r2_buckets.map((r) => `r2:${r.bucket_name}`),
        ...(c.services ?? []).map((s) => `service:${s.service}`),
      ];
    };
    const [a, b] = NAMED.map(names);
    assert.deepEqual(
      a?.filter((name) => b?.includes(name)),
      [],
    );
  });

  it('leave out the KV ids wrangler provisions itself, and keep the D1 id its remote D1 commands need', () => {
    for (const env of NAMED) {
      const c = read(env);
      assert.deepEqual(
        c.kv_namespaces.filter((kv) => kv.id),
        [],
        `[env.${env}] KV`,
      );
      assert.deepEqual(
        c.d1_databases.filter((d) => !d.database_id),
        [],
        `[env.${env}] D1`,
      );
    }
  });
});

describe('provision: what each environment needs', () => {
  it('integration: its own queues (the dead-letter queue too) and database', () => {
    const needs = integration();
    assert.equal(needs.worker, 'fgm-is-api-int');
    assert.deepEqual(needs.queues, ['fgm-is-audit-int', 'fgm-is-audit-int-dlq']);
    assert.deepEqual(needs.databases, [
      { binding: 'AUDIT_DB', name: 'fgm-is-audit-int', id: undefined, migrationsDir: MIGRATIONS, migrationsTable: undefined },
    ]);
    assert.equal(needs.leftToDeploy.length, 3, 'two KV namespaces and the R2 bucket are left to wrangler deploy');
  });

  it('production: the names it has always had', () => {
    const needs = needsOf('production', read('production'));
    assert.equal(needs.worker, 'fgm-is-api');
    assert.deepEqual(needs.queues, ['fgm-is-audit', 'fgm-is-audit-dlq']);
    assert.deepEqual(
      needs.databases.map((d) => d.name),
      ['fgm-is-audit'],
    );
  });

  it('refuses a D1 binding without a database_name (deploy would name it after the Worker, and the look-ups could not find it)', () => {
    const config: ConfigForProvisioning = { ...read('integration'), d1_databases: [{ binding: 'AUDIT_DB' }] };
    assert.throws(() => needsOf('integration', config), /no database_name/);
  });
});

describe('provision: a run', () => {
  it('on a new account: creates both queues and the database, then migrates it through a configuration naming its id', async () => {
    const { wrangler, calls } = fakeAccount({ queues: [], databases: {} });
    const out = io();
    const needs = integration();
    await provision(needs, wrangler, { dryRun: false, io: out.io });
    assert.deepEqual(calls, [
      'queues info fgm-is-audit-int',
      'queues info fgm-is-audit-int-dlq',
      'd1 list --json',
      'queues create fgm-is-audit-int',
      'queues create fgm-is-audit-int-dlq',
      'd1 create fgm-is-audit-int',
      'd1 list --json',
      'd1 migrations apply AUDIT_DB --remote -c .wrangler/provision/integration.toml',
    ]);
    const generated = out.files.get(generatedConfigPath(needs));
    assert.equal(generatedConfigPath(needs), path.join(path.dirname(CONFIG), '.wrangler', 'provision', 'integration.toml'));
    assert.match(generated ?? '', /^database_id = "11111111-2222-4333-8444-555555555555"$/m);
    assert.match(generated ?? '', /^database_name = "fgm-is-audit-int"$/m);
    assert.ok(generated?.includes(`migrations_dir = ${JSON.stringify(MIGRATIONS)}`));
    assert.equal(
      out.lines.at(-1),
      '* before `wrangler deploy --env integration`, set in wrangler.toml\'s [[env.integration.d1_databases]] (AUDIT_DB): database_id = "11111111-2222-4333-8444-555555555555"',
    );
    // What wrangler reads from it: the database by id, and this Worker's migrations wherever the file lies.
    const dir = mkdtempSync(path.join(tmpdir(), 'provision-'));
    try {
      writeFileSync(path.join(dir, 'wrangler.toml'), generated ?? '');
      const [database] = unstable_readConfig({ config: path.join(dir, 'wrangler.toml') }).d1_databases;
      assert.deepEqual(
        { binding: database?.binding, id: database?.database_id, migrations: database?.migrations_dir },
        { binding: 'AUDIT_DB', id: '11111111-2222-4333-8444-555555555555', migrations: MIGRATIONS },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on an account that has everything: creates nothing, applies only the migrations', async () => {
    const { wrangler, calls } = fakeAccount({
      queues: ['fgm-is-audit-int', 'fgm-is-audit-int-dlq'],
      databases: { 'fgm-is-audit-int': '99999999-2222-4333-8444-555555555555', 'fgm-is-audit': 'aaaaaaaa-2222-4333-8444-555555555555' },
    });
    const out = io();
    const steps = await provision(integration(), wrangler, { dryRun: false, io: out.io });
    assert.deepEqual(
      steps.map((s) => s.kind),
      ['migrate'],
    );
    assert.equal(calls.filter((c) => c.includes('create')).length, 0);
    assert.equal(calls.at(-1), 'd1 migrations apply AUDIT_DB --remote -c .wrangler/provision/integration.toml');
    assert.match(out.files.get(generatedConfigPath(integration())) ?? '', /99999999-2222-4333-8444-555555555555/);
  });

  it('creates only what is missing: the dead-letter queue alone', async () => {
    const { wrangler, calls } = fakeAccount({
      queues: ['fgm-is-audit-int'],
      databases: { 'fgm-is-audit-int': '99999999-2222-4333-8444-555555555555' },
    });
    await provision(integration(), wrangler, { dryRun: false, io: io().io });
    assert.deepEqual(
      calls.filter((c) => c.includes('create')),
      ['queues create fgm-is-audit-int-dlq'],
    );
  });

  it('--dry-run: only the read-only look-ups run; it prints the commands and writes nothing', async () => {
    const { wrangler, calls } = fakeAccount({ queues: ['fgm-is-audit-int'], databases: {} });
    const out = io();
    await provision(integration(), wrangler, { dryRun: true, io: out.io });
    assert.deepEqual(calls, ['queues info fgm-is-audit-int', 'queues info fgm-is-audit-int-dlq', 'd1 list --json']);
    assert.equal(out.files.size, 0);
    assert.deepEqual(
      out.lines.filter((l) => l.startsWith('would run')),
      [
        'would run: npx wrangler queues create fgm-is-audit-int-dlq',
        'would run: npx wrangler d1 create fgm-is-audit-int',
        "would run: npx wrangler d1 migrations apply AUDIT_DB --remote -c .wrangler/provision/integration.toml   (after writing that file with the database's id)",
      ],
    );
    assert.match(out.lines.at(-1) ?? '', /database_id = "<the id `wrangler d1 create` prints>"$/);
    assert.ok(out.lines.includes('= queue fgm-is-audit-int exists'));
  });

  it('not signed in: a real run changes nothing and says why; a dry run prints every command as "if missing"', async () => {
    const real = fakeAccount({ queues: [], databases: {}, signedIn: false });
    const out = io();
    await assert.rejects(provision(integration(), real.wrangler, { dryRun: false, io: out.io }), /look-up failed .* nothing was changed/);
    assert.deepEqual(
      real.calls.filter((c) => !c.includes(' info ') && !c.includes(' list ')),
      [],
    );
    assert.ok(out.lines.some((l) => l.includes('CLOUDFLARE_API_TOKEN')));

    const dry = fakeAccount({ queues: [], databases: {}, signedIn: false });
    const printed = io();
    const steps = await provision(integration(), dry.wrangler, { dryRun: true, io: printed.io });
    assert.deepEqual(
      steps.map((s) => s.kind),
      ['create-queue', 'create-queue', 'create-database', 'migrate'],
    );
    assert.equal(printed.lines.filter((l) => l.endsWith('(if missing: could not check)')).length, 3);
  });

  /** [env.integration] as wrangler reads it, with `database_id` set to `id`. */
  const withDatabaseId = (id: string) =>
    needsOf('integration', {
      ...read('integration'),
      d1_databases: [{ binding: 'AUDIT_DB', database_name: 'fgm-is-audit-int', database_id: id, migrations_dir: 'migrations' }],
    });

  it('once wrangler.toml has the database id: migrated through wrangler.toml itself, nothing written', async () => {
    const id = '12345678-2222-4333-8444-555555555555';
    const { wrangler, calls } = fakeAccount({ queues: ['fgm-is-audit-int', 'fgm-is-audit-int-dlq'], databases: { 'fgm-is-audit-int': id } });
    const out = io();
    await provision(withDatabaseId(id), wrangler, { dryRun: false, io: out.io });
    assert.deepEqual(calls.slice(3), ['d1 migrations apply AUDIT_DB --remote -c wrangler.toml --env integration']);
    assert.equal(out.files.size, 0);
    assert.equal(out.lines.filter((l) => l.startsWith('* ')).length, 0, 'nothing left to set');
  });

  it('refuses, changing nothing, a database_id that is not the database of its name (integration pointed at production’s audit trail)', async () => {
    const account = {
      queues: ['fgm-is-audit-int', 'fgm-is-audit-int-dlq'],
      databases: { 'fgm-is-audit-int': 'aaaaaaaa-2222-4333-8444-555555555555', 'fgm-is-audit': 'bbbbbbbb-2222-4333-8444-555555555555' },
    };
    const { wrangler, calls } = fakeAccount(account);
    const out = io();
    await assert.rejects(
      provision(withDatabaseId('bbbbbbbb-2222-4333-8444-555555555555'), wrangler, { dryRun: false, io: out.io }),
      /nothing was changed/,
    );
    assert.deepEqual(calls, ['queues info fgm-is-audit-int', 'queues info fgm-is-audit-int-dlq', 'd1 list --json']);
    assert.ok(out.lines.some((l) => l.includes('database_id bbbbbbbb-2222-4333-8444-555555555555 is not the database named fgm-is-audit-int')));
  });

  it('a placeholder database_id ("replace-with-…") counts as none', () => {
    assert.equal(withDatabaseId('replace-with-the-integration-d1-database-id').databases[0]?.id, undefined);
  });

  it('stops at the first command that fails', async () => {
    const { wrangler: account } = fakeAccount({ queues: [], databases: {} });
    const calls: string[] = [];
    const failing: Wrangler = async (args, mode) => {
      calls.push(args.join(' '));
      return args[1] === 'create' && args[0] === 'queues' ? { code: 1, stdout: '', stderr: 'quota' } : account(args, mode);
    };
    await assert.rejects(provision(integration(), failing, { dryRun: false, io: io().io }), /queues create fgm-is-audit-int` failed/);
    assert.equal(calls.at(-1), 'queues create fgm-is-audit-int');
  });
});
