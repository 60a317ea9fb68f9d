/**
 * The Worker's vars and secrets, validated once into a {@link ServiceConfig}.
 * Fails closed: anything missing or malformed stops the service (500) with a
 * message that names settings, never their values.
 */
import { type AccessPolicy, AsidSchema, DEFAULT_MAX_TOKEN_TTL_SECONDS, parseAccessPolicy } from '@fgm-is/rules';
import * as v from 'valibot';
import type { TokenKeySource } from '../auth/token-verifier.ts';

/**
 * SANDBOX SECRET: the published HS256 secret of spec §15, used when
 * `ENVIRONMENT` is `sandbox` and no other key source is set, and refused
 * anywhere else. Safe only for local use; it is not a secret.
 */
const SANDBOX_JWT_SECRET = 'fgm-is-sandbox-secret-not-for-production';

/** The configuration is unusable. Answered as 500; the message names settings, never their values. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Validated service configuration. */
export interface ServiceConfig {
  readonly environment: string;
  readonly policy: AccessPolicy;
  readonly auth: { readonly keys: TokenKeySource; readonly issuer: string; readonly audience: string; readonly maxTtlSeconds: number };
  readonly directory: { readonly kind: 'kv' } | { readonly kind: 'pds'; readonly baseUrl: string; readonly credentials: PdsCredentials | undefined };
  /** Base URL for links, or `undefined` to use the request origin. */
  readonly publicBaseUrl: string | undefined;
  /** Origins allowed CORS access (none by default). */
  readonly corsOrigins: readonly string[];
  /** The legacy Spine messaging endpoints (L-4): off, or on with or without the mutual-TLS requirement. */
  readonly legacy: LegacyConfig;
  /** The documentation page at `/` (and, in the sandbox, its console): off unless `DOCS_PAGE` is "on". */
  readonly docsPage: boolean;
}

/**
 * How the service signs in to the NHS API platform for PDS (application-restricted, signed JWT client credentials).
 * `undefined` only in the sandbox, for a local PDS stand-in that asks for no token.
 */
interface PdsCredentials {
  readonly tokenUrl: string;
  readonly apiKey: string;
  readonly keyId: string;
  /** PKCS#8 PEM of the application's RSA private key (the PDS_PRIVATE_KEY secret). */
  readonly privateKeyPem: string;
}

/** The legacy messaging endpoints' configuration (L-4). */
export type LegacyConfig =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      /** Whether a verified Cloudflare mutual-TLS client certificate is required (always, outside the sandbox). */
      readonly requireClientCertificate: boolean;
      /** Per sender ASID, the SHA-256 fingerprints (lower-case hex) its certificate may have; ASIDs not listed are not pinned. */
      readonly certificatePins: Readonly<Record<string, readonly string[]>>;
    };

/** The subset of the generated `Env` that configuration reads. */
export type ConfigEnv = Pick<
  Env,
  | 'ENVIRONMENT'
  | 'SERVICE_ASID'
  | 'AUTH_ISSUER'
  | 'AUTH_AUDIENCE'
  | 'AUTH_JWKS_URL'
  | 'AUTH_JWT_SECRET'
  | 'AUTH_MAX_TOKEN_TTL_SECONDS'
  | 'PATIENT_DIRECTORY'
  | 'PDS_BASE_URL'
  | 'PUBLIC_BASE_URL'
  | 'ASID_ALLOW_LIST'
  | 'ACTIVITY_MAP'
  | 'CORS_ALLOWED_ORIGINS'
  | 'LEGACY_MESSAGING'
  | 'LEGACY_CLIENT_CERTIFICATE'
  | 'LEGACY_CERTIFICATE_PINS'
  | 'DOCS_PAGE'
> & {
  /** The NHS API platform's sign-in to PDS (vars per environment; the key is a secret). Optional here: only PDS needs them. */
  readonly PDS_TOKEN_URL?: string | undefined;
  readonly PDS_API_KEY?: string | undefined;
  readonly PDS_KEY_ID?: string | undefined;
  readonly PDS_PRIVATE_KEY?: string | undefined;
};

/** @internal An absolute https URL (or http on loopback, for local fakes). */
function isServiceUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

const ServiceUrlSchema = v.pipe(v.string(), v.check(isServiceUrl, 'must be an https URL'));
/** @internal An optional setting: absent and empty both mean "not set". */
const optional = <T extends v.GenericSchema<string, string>>(schema: T) =>
  v.pipe(
    v.optional(v.string(), ''),
    v.transform((value) => value.trim()),
    v.union([v.literal(''), schema]),
  );
const Required = v.pipe(v.string(), v.trim(), v.nonEmpty('is required'));

/** @internal The vars and secrets, each checked on its own. */
const EnvSchema = v.object({
  ENVIRONMENT: Required,
  SERVICE_ASID: AsidSchema,
  AUTH_ISSUER: Required,
  AUTH_AUDIENCE: Required,
  AUTH_JWKS_URL: optional(ServiceUrlSchema),
  AUTH_JWT_SECRET: optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))),
  AUTH_MAX_TOKEN_TTL_SECONDS: v.pipe(
    v.optional(v.string(), String(DEFAULT_MAX_TOKEN_TTL_SECONDS)),
    v.regex(/^[1-9][0-9]{0,6}$/, 'must be a whole number of seconds'),
    v.transform(Number),
  ),
  PATIENT_DIRECTORY: v.picklist(['kv', 'pds'], 'must be "kv" or "pds"'),
  PDS_BASE_URL: optional(ServiceUrlSchema),
  PDS_TOKEN_URL: optional(ServiceUrlSchema),
  PDS_API_KEY: optional(v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,256}$/, 'must be the application API key (visible ASCII)'))),
  PDS_KEY_ID: optional(v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,256}$/, 'must be the registered key id (visible ASCII)'))),
  // A .dev.vars value may carry the PEM's line breaks as \n escapes.
  PDS_PRIVATE_KEY: optional(
    v.pipe(
      v.string(),
      v.transform((pem) => pem.replace(/\\n/g, '\n').trim()),
      v.check((pem) => !pem.includes('BEGIN RSA PRIVATE KEY'), 'must be PKCS#8 PEM, not PKCS#1 (convert: openssl pkcs8 -topk8 -nocrypt)'),
      v.regex(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n?$/, 'must be a PKCS#8 PEM private key'),
    ),
  ),
  PUBLIC_BASE_URL: optional(ServiceUrlSchema),
  CORS_ALLOWED_ORIGINS: v.pipe(
    v.optional(v.string(), ''),
    v.transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
    v.array(
      v.pipe(
        v.string(),
        v.check((origin) => isServiceUrl(origin) && new URL(origin).origin === origin, 'must list https origins'),
      ),
    ),
  ),
  LEGACY_MESSAGING: v.optional(v.picklist(['on', 'off'], 'must be "on" or "off"'), 'off'),
  LEGACY_CLIENT_CERTIFICATE: v.optional(v.picklist(['required', 'not-required'], 'must be "required" or "not-required"'), 'required'),
  LEGACY_CERTIFICATE_PINS: v.optional(
    v.record(AsidSchema, v.array(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must list SHA-256 fingerprints in lower-case hex')))),
    {},
  ),
  DOCS_PAGE: v.optional(v.picklist(['on', 'off'], 'must be "on" or "off"'), 'off'),
});

/**
 * Reads and validates the configuration. Besides each setting's own check:
 * the policy must parse, a key source must be set (JWKS wins over a secret;
 * the sandbox falls back on the published sandbox secret), that secret is
 * refused unless `ENVIRONMENT` is `sandbox`, PDS needs
 * its base URL, outside the sandbox `PUBLIC_BASE_URL` is required (D-20)
 * and legacy messaging needs a verified client certificate (L-4).
 */
export function readConfig(env: ConfigEnv): ServiceConfig {
  // The fallback message names what was expected, never the value received (a setting may be a secret).
  const parsed = v.safeParse(EnvSchema, env, { message: (issue) => `must be ${issue.expected ?? 'valid'}` });
  if (!parsed.success) {
    const settings = [...new Set(parsed.issues.map((issue) => `${v.getDotPath(issue) ?? '(root)'} ${issue.message}`))];
    throw new ConfigurationError(`invalid settings: ${settings.join('; ')}`);
  }
  const vars = parsed.output;
  const policy = parseAccessPolicy({ serviceAsid: vars.SERVICE_ASID, asids: env.ASID_ALLOW_LIST, activities: env.ACTIVITY_MAP });
  if (!policy.ok) {
    throw new ConfigurationError(`invalid access policy: ${policy.issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}`);
  }

  let keys: TokenKeySource;
  if (vars.AUTH_JWKS_URL) keys = { kind: 'jwks', url: vars.AUTH_JWKS_URL };
  else if (vars.AUTH_JWT_SECRET) {
    if (vars.AUTH_JWT_SECRET === SANDBOX_JWT_SECRET && vars.ENVIRONMENT !== 'sandbox') {
      throw new ConfigurationError('the sandbox AUTH_JWT_SECRET is refused outside ENVIRONMENT=sandbox');
    }
    keys = { kind: 'secret', secret: vars.AUTH_JWT_SECRET };
  } else if (vars.ENVIRONMENT === 'sandbox') keys = { kind: 'secret', secret: SANDBOX_JWT_SECRET };
  else throw new ConfigurationError('set AUTH_JWKS_URL or the AUTH_JWT_SECRET secret');

  if (vars.PATIENT_DIRECTORY === 'pds' && !vars.PDS_BASE_URL) throw new ConfigurationError('PATIENT_DIRECTORY "pds" needs PDS_BASE_URL');
  const pdsCredentials = readPdsCredentials(vars);
  // D-20: outside the sandbox every absolute URL is built from configuration, never from the Host header.
  if (vars.ENVIRONMENT !== 'sandbox' && !vars.PUBLIC_BASE_URL) throw new ConfigurationError('PUBLIC_BASE_URL is required outside the sandbox');

  // L-4: outside the sandbox, legacy messaging without mutual TLS would let anyone who knows an allowed ASID write to the register.
  if (vars.LEGACY_MESSAGING === 'on' && vars.ENVIRONMENT !== 'sandbox' && vars.LEGACY_CLIENT_CERTIFICATE !== 'required') {
    throw new ConfigurationError('LEGACY_MESSAGING "on" outside the sandbox requires LEGACY_CLIENT_CERTIFICATE "required"');
  }
  const legacy: LegacyConfig =
    vars.LEGACY_MESSAGING === 'on'
      ? { enabled: true, requireClientCertificate: vars.LEGACY_CLIENT_CERTIFICATE === 'required', certificatePins: vars.LEGACY_CERTIFICATE_PINS }
      : { enabled: false };

  return {
    environment: vars.ENVIRONMENT,
    policy: policy.value,
    auth: { keys, issuer: vars.AUTH_ISSUER, audience: vars.AUTH_AUDIENCE, maxTtlSeconds: vars.AUTH_MAX_TOKEN_TTL_SECONDS },
    directory: vars.PATIENT_DIRECTORY === 'pds' ? { kind: 'pds', baseUrl: vars.PDS_BASE_URL, credentials: pdsCredentials } : { kind: 'kv' },
    publicBaseUrl: vars.PUBLIC_BASE_URL ? vars.PUBLIC_BASE_URL.replace(/\/+$/, '') : undefined,
    corsOrigins: vars.CORS_ALLOWED_ORIGINS,
    legacy,
    docsPage: vars.DOCS_PAGE === 'on',
  };
}

/** The four settings PDS's platform sign-in needs, by name. */
const PDS_CREDENTIAL_SETTINGS = ['PDS_TOKEN_URL', 'PDS_API_KEY', 'PDS_KEY_ID', 'PDS_PRIVATE_KEY'] as const;

/**
 * The platform credentials, when the directory is PDS. All four are required
 * outside the sandbox (without them every lookup is refused and every Add a
 * 503); in the sandbox either all four or none (none: a local PDS stand-in
 * that asks for no token). Fails closed, naming the missing settings.
 *
 * @internal
 */
function readPdsCredentials(
  vars: Record<(typeof PDS_CREDENTIAL_SETTINGS)[number] | 'PATIENT_DIRECTORY' | 'ENVIRONMENT', string>,
): PdsCredentials | undefined {
  if (vars.PATIENT_DIRECTORY !== 'pds') return undefined;
  const missing = PDS_CREDENTIAL_SETTINGS.filter((name) => !vars[name]);
  if (missing.length === PDS_CREDENTIAL_SETTINGS.length && vars.ENVIRONMENT === 'sandbox') return undefined;
  if (missing.length > 0)
    throw new ConfigurationError(`PATIENT_DIRECTORY "pds" needs ${missing.join(', ')} (the NHS API platform's signed JWT sign-in)`);
  return { tokenUrl: vars.PDS_TOKEN_URL, apiKey: vars.PDS_API_KEY, keyId: vars.PDS_KEY_ID, privateKeyPem: vars.PDS_PRIVATE_KEY };
}
