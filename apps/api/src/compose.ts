import type { AccessPolicy } from '@fgm-is/rules';
import type { AuditArchive, AuditHotStore } from './audit/archive-store.ts';
import { d1AuditHotStore, d1AuditStore } from './audit/d1-store.ts';
import type { AuditLastResort, AuditSink, AuditStore } from './audit/event.ts';
import { queueAuditSink } from './audit/queue-sink.ts';
import { r2AuditArchive, r2AuditLastResort } from './audit/r2-archive.ts';
import { type TokenVerifier, createTokenVerifier } from './auth/token-verifier.ts';
import { type LegacyConfig, type ServiceConfig, readConfig } from './config/index.ts';
import type { DocsContext } from './docs-context.ts';
import { d1Probe, d1SizeProbe, jobProbe, kvProbe, writePathProbes } from './health/probes.ts';
import { durableWritePathHealth } from './health/write-path-monitor.ts';
import type { FlagLocator } from './ports/flag-locator.ts';
import type { FlagStore } from './ports/flag-store.ts';
import type { HealthProbe } from './ports/health.ts';
/**
 * The composition root: the one place where the Worker's bindings and
 * configuration become the ports the request path, the ledger objects, the
 * scheduled jobs and the audit queue's consumer use.
 */
import type { JobLog } from './ports/job-log.ts';
import type { PatientDirectory } from './ports/patient-directory.ts';
import type { WritePathHealth } from './ports/write-path-health.ts';
import { durableFlagWriter, ledgerProbe } from './register/durable-flag-writer.ts';
import { durableFlagLocator } from './register/flag-locator.ts';
import type { FlagWriter } from './register/flag-writer.ts';
import { kvFlagStore } from './storage/kv-flag-store.ts';
import { kvJobLog } from './storage/kv-job-log.ts';
import { kvPatientDirectory } from './storage/kv-patient-directory.ts';
import { pdsPatientDirectory } from './storage/pds-patient-directory.ts';
import { platformTokenSource } from './storage/platform-token.ts';

/**
 * Everything a request handler needs from outside the rules: stores, the
 * patient directory, token verification, configuration and ids. Tests
 * build their own to swap any part.
 */
export interface Services {
  /** Reads: search and read. */
  readonly flags: FlagStore;
  /** Writes: every Add and Remove, serialised per NHS number (D-14). */
  readonly writer: FlagWriter;
  readonly patients: PatientDirectory;
  readonly tokens: TokenVerifier;
  readonly policy: AccessPolicy;
  /** Where audit records go after the response (D-15): the audit queue. */
  readonly audit: AuditSink;
  /** Base URL for links, or `undefined` to use the request origin. */
  readonly publicBaseUrl: string | undefined;
  /** Browser origins allowed CORS access; empty (the default) sends no CORS headers. */
  readonly corsOrigins: readonly string[];
  /** Server-assigned ids: flags, Bundles, OperationOutcomes. */
  readonly newId: () => string;
  /** The dependencies `/_status` checks (D-22). */
  readonly health: readonly HealthProbe[];
  /** The legacy messaging endpoints: off, or on with their client-certificate rules (L-4). */
  readonly legacy: LegacyConfig;
  /** What the docs Worker is told of this configuration on each forwarded request, but the base URL and legacy switch. */
  readonly docs: Omit<DocsContext, 'baseUrl' | 'legacyMessaging' | 'requestId'>;
}

/**
 * The stores and audit ports every entry point shares, built from bindings
 * alone (no configuration is parsed here, so a configuration fault in auth or
 * the directory cannot stop the ledger, the jobs or the queue consumer).
 */
export interface Stores {
  /** Flags by id and the search index (KV). */
  readonly flags: FlagStore;
  /** Flag id → NHS number, strongly consistent (D-26). */
  readonly locator: FlagLocator;
  /** The audit trail an auditor queries (D1), idempotent by record id. */
  readonly auditStore: AuditStore;
  /** The same trail read by patient and month, for the archive job and subject access. */
  readonly auditHot: AuditHotStore;
  /** Months of audit rows moved out of D1 (R2). */
  readonly auditArchive: AuditArchive;
  /** Where the dead-letter queue keeps records D1 would not take on their last attempt (R2). */
  readonly auditLastResort: AuditLastResort;
  /** Trouble reports of the write path, for `/_status`. */
  readonly writePath: WritePathHealth;
  /** When each scheduled job last finished, for `/_status`. */
  readonly jobs: JobLog;
}

/** @internal The docs page's switch and, in the sandbox with a shared secret only, how the console's tokens are signed. */
function docsSettings(config: ServiceConfig): Services['docs'] {
  const { keys, issuer, audience } = config.auth;
  const sandbox = config.docsPage && config.environment === 'sandbox' && keys.kind === 'secret';
  return { docsPage: config.docsPage, sandboxSigning: sandbox ? { secret: keys.secret, issuer, audience } : undefined };
}

const storesCache = new WeakMap<object, Stores>();

/**
 * The composition root's stores, built once per isolate and env object: used
 * by the request path ({@link servicesFromEnv}), each ledger object, the
 * scheduled jobs and the audit queue's consumer.
 */
export function storesFromEnv(env: Env): Stores {
  let stores = storesCache.get(env);
  if (!stores) {
    stores = {
      flags: kvFlagStore(env.FLAGS),
      locator: durableFlagLocator(env.FLAG_LOCATOR),
      auditStore: d1AuditStore(env.AUDIT_DB),
      auditHot: d1AuditHotStore(env.AUDIT_DB),
      auditArchive: r2AuditArchive(env.AUDIT_ARCHIVE),
      auditLastResort: r2AuditLastResort(env.AUDIT_ARCHIVE),
      writePath: durableWritePathHealth(env.WRITE_PATH_MONITOR),
      jobs: kvJobLog(env.FLAGS),
    };
    storesCache.set(env, stores);
  }
  return stores;
}

const cache = new WeakMap<object, Services>();

/**
 * The request path's wiring from the Worker's `Env`: {@link storesFromEnv}
 * plus what needs the configuration (directory, token verifier, policy),
 * built once per isolate and env object (configuration parsing and JWKS
 * caching are not per request).
 */
export function servicesFromEnv(env: Env): Services {
  let services = cache.get(env);
  if (!services) {
    const config = readConfig(env);
    const stores = storesFromEnv(env);
    services = {
      flags: stores.flags,
      writer: durableFlagWriter(env.FLAG_LEDGER, stores.flags, stores.locator),
      patients:
        config.directory.kind === 'pds'
          ? pdsPatientDirectory({
              baseUrl: config.directory.baseUrl,
              fetch: (...args) => fetch(...args),
              ...(config.directory.credentials
                ? { accessToken: platformTokenSource({ ...config.directory.credentials, fetch: (...args) => fetch(...args) }) }
                : {}),
            })
          : kvPatientDirectory(env.PATIENTS),
      tokens: createTokenVerifier(config.auth),
      policy: config.policy,
      audit: queueAuditSink(env.AUDIT_QUEUE, stores.auditStore),
      publicBaseUrl: config.publicBaseUrl,
      corsOrigins: config.corsOrigins,
      newId: () => crypto.randomUUID(),
      health: [
        kvProbe('kv:flags', env.FLAGS),
        ledgerProbe(env.FLAG_LEDGER),
        d1Probe('d1:audit', env.AUDIT_DB),
        ...writePathProbes(stores.writePath),
        d1SizeProbe('d1:audit-size', env.AUDIT_DB),
        jobProbe('age-out', stores.jobs),
        jobProbe('audit-archive', stores.jobs),
      ],
      legacy: config.legacy,
      docs: docsSettings(config),
    };
    cache.set(env, services);
  }
  return services;
}
