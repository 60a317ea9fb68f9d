import { type AccessPolicy, parseAccessPolicy } from '@fgm-is/rules';
import type { TokenKeySource } from '../auth/token-verifier.ts';
import { SANDBOX_JWT_SECRET } from '../sandbox/constants.ts';

/** The configuration is unusable. Answered as 500; the message names settings, never their values. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Validated service configuration, read from the Worker's vars and secrets. */
export interface ServiceConfig {
  readonly environment: string;
  readonly policy: AccessPolicy;
  readonly auth: { readonly keys: TokenKeySource; readonly issuer: string; readonly audience: string };
  readonly directory: { readonly kind: 'kv' } | { readonly kind: 'pds'; readonly baseUrl: string };
  /** Base URL for links, or `undefined` to use the request origin. */
  readonly publicBaseUrl: string | undefined;
  /** Origins allowed CORS access (none by default). */
  readonly corsOrigins: readonly string[];
}

/** The subset of the generated `Env` that configuration reads. */
export type ConfigEnv = Pick<
  Env,
  | 'ENVIRONMENT'
  | 'SERVICE_ASID'
  | 'AUTH_ISSUER'
  | 'AUTH_AUDIENCE'
  | 'AUTH_JWKS_URL'
  | 'AUTH_JWT_SECRET'
  | 'PATIENT_DIRECTORY'
  | 'PDS_BASE_URL'
  | 'PUBLIC_BASE_URL'
  | 'ASID_ALLOW_LIST'
  | 'ACTIVITY_MAP'
  | 'CORS_ALLOWED_ORIGINS'
>;

/** @internal An absolute https URL (or http on loopback, for local fakes). */
function isServiceUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

/**
 * Reads and validates the configuration. Fails closed: anything missing or
 * malformed is a {@link ConfigurationError}, and the sandbox secret is
 * refused unless `ENVIRONMENT` is `sandbox`.
 */
export function readConfig(env: ConfigEnv): ServiceConfig {
  const policy = parseAccessPolicy({ serviceAsid: env.SERVICE_ASID, asids: env.ASID_ALLOW_LIST, activities: env.ACTIVITY_MAP });
  if (!policy.ok) throw new ConfigurationError(`invalid access policy at ${policy.issues.map((issue) => issue.path || '(root)').join(', ')}`);
  if (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE) throw new ConfigurationError('AUTH_ISSUER and AUTH_AUDIENCE are required');

  let keys: TokenKeySource;
  if (env.AUTH_JWKS_URL) {
    if (!isServiceUrl(env.AUTH_JWKS_URL)) throw new ConfigurationError('AUTH_JWKS_URL must be an https URL');
    keys = { kind: 'jwks', url: env.AUTH_JWKS_URL };
  } else if (env.AUTH_JWT_SECRET) {
    if (env.AUTH_JWT_SECRET === SANDBOX_JWT_SECRET && env.ENVIRONMENT !== 'sandbox') {
      throw new ConfigurationError('the sandbox AUTH_JWT_SECRET is refused outside ENVIRONMENT=sandbox');
    }
    if (env.AUTH_JWT_SECRET.length < 32) throw new ConfigurationError('AUTH_JWT_SECRET must be at least 32 characters');
    keys = { kind: 'secret', secret: env.AUTH_JWT_SECRET };
  } else {
    throw new ConfigurationError('set AUTH_JWKS_URL or the AUTH_JWT_SECRET secret');
  }

  let directory: ServiceConfig['directory'];
  if (env.PATIENT_DIRECTORY === 'kv') directory = { kind: 'kv' };
  else if (env.PATIENT_DIRECTORY === 'pds' && isServiceUrl(env.PDS_BASE_URL)) directory = { kind: 'pds', baseUrl: env.PDS_BASE_URL };
  else throw new ConfigurationError('PATIENT_DIRECTORY must be "kv", or "pds" with an https PDS_BASE_URL');

  if (env.PUBLIC_BASE_URL && !isServiceUrl(env.PUBLIC_BASE_URL)) throw new ConfigurationError('PUBLIC_BASE_URL must be an https URL');

  const corsOrigins = (env.CORS_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!isServiceUrl(origin) || new URL(origin).origin !== origin) throw new ConfigurationError('CORS_ALLOWED_ORIGINS must list https origins');
  }

  return {
    environment: env.ENVIRONMENT,
    policy: policy.value,
    auth: { keys, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
    directory,
    publicBaseUrl: env.PUBLIC_BASE_URL ? env.PUBLIC_BASE_URL.replace(/\/+$/, '') : undefined,
    corsOrigins,
  };
}
