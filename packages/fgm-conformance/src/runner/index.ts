/**
 * Runs the checks against one server, one after another (several touch the
 * same patients), and reports each.
 */
import { CHECKS } from '../checks/index.ts';
import { SANDBOX_AUTH, Server, Skip, type TokenSettings } from '../http/index.ts';
import { type Channel, Context } from './context.ts';
import { Mismatch } from './expect.ts';

/** Settings of a run. */
export interface ConformanceOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8787`. */
  readonly baseUrl: string;
  /** The fetch to use (default: the global one); a test can hand in a Worker's own. */
  readonly fetch?: typeof fetch;
  /** Which channels to check (default both). Service checks always run. */
  readonly channels?: readonly Channel[];
  /** How tokens are had: minted with a secret (default: the sandbox's of §15), or one fixed token (checks needing other claims are skipped). */
  readonly auth?: { readonly secret?: string; readonly issuer?: string; readonly audience?: string } | { readonly token: string };
  /** Only the checks whose id this accepts. */
  readonly filter?: (id: string) => boolean;
  /** Bound on each request, in ms (default 15,000). */
  readonly timeoutMs?: number;
  /** Called with each result as soon as it is known. */
  readonly onResult?: (result: CheckResult) => void;
}

/** One check's result. */
export interface CheckResult {
  readonly id: string;
  readonly clause: string;
  readonly channel: 'r4' | 'legacy' | 'service';
  readonly title: string;
  readonly outcome: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  readonly message?: string;
  readonly durationMs: number;
}

/** A whole run. */
export interface Report {
  readonly baseUrl: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly results: readonly CheckResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** The ids and clauses of every check, for listing (`--list`). */
export function listChecks(): ReadonlyArray<{ id: string; clause: string; channel: string; title: string }> {
  return CHECKS.map(({ id, clause, channel, title }) => ({ id, clause, channel, title }));
}

/**
 * Runs the contract's checks against a server that serves the sandbox data
 * of the contract's §15. Safe to run again and again against one stateful
 * server: each check first puts the patients it uses into the state it
 * needs, and no check removes the seeded flag of 9000000009.
 */
export async function runConformance(options: ConformanceOptions): Promise<Report> {
  const auth = options.auth ?? {};
  const tokens: TokenSettings =
    'token' in auth
      ? { kind: 'fixed', token: auth.token }
      : {
          kind: 'mint',
          secret: auth.secret ?? SANDBOX_AUTH.secret,
          issuer: auth.issuer ?? SANDBOX_AUTH.issuer,
          audience: auth.audience ?? SANDBOX_AUTH.audience,
        };
  const channels = options.channels ?? ['r4', 'legacy'];
  const server = new Server(options.baseUrl.replace(/\/+$/, ''), options.fetch ?? globalThis.fetch.bind(globalThis), options.timeoutMs ?? 15_000);
  const context = new Context(server, tokens, channels, crypto.randomUUID().slice(0, 8));
  const started = Date.now();
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    if (check.channel !== 'service' && !channels.includes(check.channel)) continue;
    if (options.filter && !options.filter(check.id)) continue;
    const begun = Date.now();
    let outcome: CheckResult['outcome'] = 'passed';
    let message: string | undefined;
    try {
      await check.run(context);
    } catch (error) {
      outcome = error instanceof Skip ? 'skipped' : 'failed';
      message = error instanceof Mismatch || error instanceof Skip ? error.message : `${error instanceof Error ? error.message : String(error)}`;
    }
    const result: CheckResult = {
      id: check.id,
      clause: check.clause,
      channel: check.channel,
      title: check.title,
      outcome,
      ...(message === undefined ? {} : { message }),
      durationMs: Date.now() - begun,
    };
    results.push(result);
    options.onResult?.(result);
  }
  const count = (outcome: CheckResult['outcome']) => results.filter((result) => result.outcome === outcome).length;
  return {
    baseUrl: options.baseUrl,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    results,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}
