/**
 * The composition root: the one place where the Worker's bindings and
 * configuration become the ports the handlers use.
 */
import type { AccessPolicy } from '@fgm-is/rules';
import { d1AuditStore } from './audit/d1-store.ts';
import { durableFlagLocator } from './register/flag-locator.ts';
import { d1Probe, kvProbe, writePathProbes } from './health/probes.ts';
import { kvFlagStore } from './storage/kv-flag-store.ts';
import { kvPatientDirectory } from './storage/kv-patient-directory.ts';
import { pdsPatientDirectory } from './storage/pds-patient-directory.ts';
import { queueAuditSink } from './audit/queue-sink.ts';
import { durableWritePathHealth } from './health/write-path-monitor.ts';
import { type TokenVerifier, createTokenVerifier } from './auth/token-verifier.ts';
import { type LegacyConfig, readConfig } from './config/index.ts';
import { durableFlagWriter, ledgerProbe } from './register/durable-flag-writer.ts';
import type { AuditSink } from './audit/event.ts';
import type { FlagStore } from './ports/flag-store.ts';
import type { FlagWriter } from './ports/flag-writer.ts';
import type { HealthProbe } from './ports/health.ts';
import type { PatientDirectory } from './ports/patient-directory.ts';

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
}

const cache = new WeakMap<object, Services>();

/**
 * The production wiring from the Worker's `Env`, built once per isolate and
 * env object (configuration parsing and JWKS caching are not per request).
 */
export function servicesFromEnv(env: Env): Services {
  let services = cache.get(env);
  if (!services) {
    const config = readConfig(env);
    const flags = kvFlagStore(env.FLAGS);
    services = {
      flags,
      writer: durableFlagWriter(env.FLAG_LEDGER, flags, durableFlagLocator(env.FLAG_LOCATOR)),
      patients:
        config.directory.kind === 'pds'
          ? pdsPatientDirectory({ baseUrl: config.directory.baseUrl, fetch: (...args) => fetch(...args) })
          : kvPatientDirectory(env.PATIENTS),
      tokens: createTokenVerifier(config.auth),
      policy: config.policy,
      audit: queueAuditSink(env.AUDIT_QUEUE, d1AuditStore(env.AUDIT_DB)),
      publicBaseUrl: config.publicBaseUrl,
      corsOrigins: config.corsOrigins,
      newId: () => crypto.randomUUID(),
      health: [
        kvProbe('kv:flags', env.FLAGS),
        ledgerProbe(env.FLAG_LEDGER),
        d1Probe('d1:audit', env.AUDIT_DB),
        ...writePathProbes(durableWritePathHealth(env.WRITE_PATH_MONITOR)),
      ],
      legacy: config.legacy,
    };
    cache.set(env, services);
  }
  return services;
}
