import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, readConfig } from './index.ts';

describe('readConfig', () => {
  it('reads the sandbox configuration of wrangler.toml', () => {
    const config = readConfig(env);
    expect(config.policy.serviceAsid).toBe('200000000000');
    expect(config.policy.asids['200000000002']).toEqual(['search']);
    expect(config.auth.keys).toEqual({ kind: 'secret', secret: 'fgm-is-sandbox-secret-not-for-production' });
    expect(config.auth.maxTtlSeconds).toBe(43_200);
    expect(config.directory).toEqual({ kind: 'kv' });
    expect(config.publicBaseUrl).toBeUndefined();
  });

  const production = { ENVIRONMENT: 'production', PUBLIC_BASE_URL: 'https://fgm-is.example.nhs.uk', LEGACY_MESSAGING: 'off' };
  it('[H-02] [H-04] outside the sandbox needs its own key source and PUBLIC_BASE_URL (D-20)', () => {
    expect(() => readConfig({ ...env, ...production })).toThrow('set AUTH_JWKS_URL or the AUTH_JWT_SECRET secret');
    expect(() => readConfig({ ...env, ...production, AUTH_JWT_SECRET: 'fgm-is-sandbox-secret-not-for-production' })).toThrow(
      'the sandbox AUTH_JWT_SECRET is refused outside ENVIRONMENT=sandbox',
    );
    expect(() => readConfig({ ...env, ...production, PUBLIC_BASE_URL: '', AUTH_JWT_SECRET: 'p'.repeat(40) })).toThrow(
      'PUBLIC_BASE_URL is required outside the sandbox',
    );
    const config = readConfig({ ...env, ...production, AUTH_JWT_SECRET: 'p'.repeat(40) });
    expect(config.auth.keys).toEqual({ kind: 'secret', secret: 'p'.repeat(40) });
    expect(config.publicBaseUrl).toBe('https://fgm-is.example.nhs.uk');
  });

  it('takes the token lifetime limit from AUTH_MAX_TOKEN_TTL_SECONDS (D-17)', () => {
    expect(readConfig({ ...env, AUTH_MAX_TOKEN_TTL_SECONDS: '600' }).auth.maxTtlSeconds).toBe(600);
    for (const bad of ['0', '-5', '1.5', 'a day', '99999999']) {
      expect(() => readConfig({ ...env, AUTH_MAX_TOKEN_TTL_SECONDS: bad })).toThrow(ConfigurationError);
    }
  });

  it.each([
    ['the sandbox secret outside the sandbox', { ENVIRONMENT: 'production', PUBLIC_BASE_URL: 'https://x.example', LEGACY_MESSAGING: 'off' }],
    [
      'no key source outside the sandbox',
      { ENVIRONMENT: 'production', PUBLIC_BASE_URL: 'https://x.example', AUTH_JWKS_URL: '', LEGACY_MESSAGING: 'off' },
    ],
    ['a short secret', { AUTH_JWT_SECRET: 'short' }],
    ['an http JWKS URL', { AUTH_JWKS_URL: 'http://auth.example/jwks' }],
    ['an unknown directory', { PATIENT_DIRECTORY: 'ldap' }],
    ['PDS without a base URL', { PATIENT_DIRECTORY: 'pds', PDS_BASE_URL: '' }],
    ['a malformed allow-list', { ASID_ALLOW_LIST: { '123': ['search'] } }],
    ['an unknown interaction', { ACTIVITY_MAP: { B0370: ['delete'] } }],
    ['a bad service ASID', { SERVICE_ASID: 'abc' }],
  ])('[H-04] refuses %s', (_name, change) => {
    expect(() => readConfig({ ...env, ...change } as typeof env)).toThrow(ConfigurationError);
  });

  it('[H-04] never puts a secret in its message', () => {
    const secret = 'fgm-is-sandbox-secret-not-for-production';
    for (const change of [
      { ENVIRONMENT: 'production', PUBLIC_BASE_URL: 'https://x.example', AUTH_JWT_SECRET: secret },
      { AUTH_JWT_SECRET: 'short-secret' },
    ]) {
      expect(() => readConfig({ ...env, ...change })).toThrow(ConfigurationError);
      try {
        readConfig({ ...env, ...change });
      } catch (error) {
        expect((error as Error).message).not.toContain(change.AUTH_JWT_SECRET);
      }
    }
  });

  it('selects JWKS over the secret, and PDS when configured', () => {
    const config = readConfig({
      ...env,
      AUTH_JWKS_URL: 'https://auth.example/jwks.json',
      PATIENT_DIRECTORY: 'pds',
      PDS_BASE_URL: 'https://pds.example/FHIR/R4',
    });
    expect(config.auth.keys).toEqual({ kind: 'jwks', url: 'https://auth.example/jwks.json' });
    expect(config.directory).toEqual({ kind: 'pds', baseUrl: 'https://pds.example/FHIR/R4' });
  });
});

describe('CORS_ALLOWED_ORIGINS', () => {
  it('[H-04] accepts only https origins', () => {
    expect(readConfig({ ...env, CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(() => readConfig({ ...env, CORS_ALLOWED_ORIGINS: '*' })).toThrow(ConfigurationError);
    expect(() => readConfig({ ...env, CORS_ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(ConfigurationError);
  });
});

describe('legacy messaging (L-4)', () => {
  const outside = { ENVIRONMENT: 'production', PUBLIC_BASE_URL: 'https://x.example', AUTH_JWKS_URL: 'https://auth.example/jwks.json' };

  it('is on in the sandbox, without a client certificate', () => {
    expect(readConfig(env).legacy).toEqual({ enabled: true, requireClientCertificate: false, certificatePins: {} });
  });

  it('[L-4] [H-04] fails closed: on outside the sandbox without the certificate requirement', () => {
    expect(() => readConfig({ ...env, ...outside, LEGACY_MESSAGING: 'on', LEGACY_CLIENT_CERTIFICATE: 'not-required' })).toThrow(
      'LEGACY_MESSAGING "on" outside the sandbox requires LEGACY_CLIENT_CERTIFICATE "required"',
    );
    expect(readConfig({ ...env, ...outside, LEGACY_MESSAGING: 'on', LEGACY_CLIENT_CERTIFICATE: 'required' }).legacy).toMatchObject({
      enabled: true,
      requireClientCertificate: true,
    });
    expect(readConfig({ ...env, ...outside, LEGACY_MESSAGING: 'off' }).legacy).toEqual({ enabled: false });
  });

  it('reads certificate pins, and refuses malformed ones', () => {
    const pins = { '200000000001': ['a'.repeat(64)] };
    expect(readConfig({ ...env, LEGACY_CERTIFICATE_PINS: pins }).legacy).toMatchObject({ certificatePins: pins });
    expect(() => readConfig({ ...env, LEGACY_CERTIFICATE_PINS: { '200000000001': ['AB:CD'] } })).toThrow(ConfigurationError);
    expect(() => readConfig({ ...env, LEGACY_CERTIFICATE_PINS: { abc: ['a'.repeat(64)] } })).toThrow(ConfigurationError);
    expect(() => readConfig({ ...env, LEGACY_MESSAGING: 'yes' })).toThrow(ConfigurationError);
  });

  describe('PDS through the NHS API platform (issue 19)', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n';
    const credentials = {
      PATIENT_DIRECTORY: 'pds',
      PDS_BASE_URL: 'https://int.api.service.nhs.uk/personal-demographics/FHIR/R4',
      PDS_TOKEN_URL: 'https://int.api.service.nhs.uk/oauth2/token',
      PDS_API_KEY: 'app-key',
      PDS_KEY_ID: 'key-1',
      PDS_PRIVATE_KEY: pem,
    };
    const production = {
      ENVIRONMENT: 'production',
      PUBLIC_BASE_URL: 'https://x.example',
      AUTH_JWKS_URL: 'https://auth.example/jwks',
      LEGACY_MESSAGING: 'off',
    };

    it('reads the four sign-in settings into the directory', () => {
      expect(readConfig({ ...env, ...production, ...credentials }).directory).toEqual({
        kind: 'pds',
        baseUrl: credentials.PDS_BASE_URL,
        credentials: { tokenUrl: credentials.PDS_TOKEN_URL, apiKey: 'app-key', keyId: 'key-1', privateKeyPem: pem.trim() },
      });
    });

    it('takes a .dev.vars key whose line breaks are written \\n', () => {
      const escaped = pem.replace(/\n/g, '\\n');
      const directory = readConfig({ ...env, ...credentials, PDS_PRIVATE_KEY: escaped }).directory;
      expect(directory.kind === 'pds' && directory.credentials?.privateKeyPem).toBe(pem.trim());
    });

    it('[H-04] fails closed outside the sandbox without them, naming each missing setting (never a value)', () => {
      expect(() => readConfig({ ...env, ...production, ...credentials, PDS_API_KEY: '', PDS_PRIVATE_KEY: undefined })).toThrow(
        'PATIENT_DIRECTORY "pds" needs PDS_API_KEY, PDS_PRIVATE_KEY',
      );
      expect(() => readConfig({ ...env, ...production, PATIENT_DIRECTORY: 'pds', PDS_BASE_URL: credentials.PDS_BASE_URL })).toThrow(
        'PATIENT_DIRECTORY "pds" needs PDS_TOKEN_URL, PDS_API_KEY, PDS_KEY_ID, PDS_PRIVATE_KEY',
      );
    });

    it('in the sandbox: all four or none (none: a local PDS stand-in that asks for no token)', () => {
      expect(readConfig({ ...env, PATIENT_DIRECTORY: 'pds', PDS_BASE_URL: 'http://127.0.0.1:9999/FHIR/R4' }).directory).toEqual({
        kind: 'pds',
        baseUrl: 'http://127.0.0.1:9999/FHIR/R4',
        credentials: undefined,
      });
      expect(() => readConfig({ ...env, ...credentials, PDS_KEY_ID: '' })).toThrow('PATIENT_DIRECTORY "pds" needs PDS_KEY_ID');
    });

    it.each([
      [
        'a PKCS#1 key',
        { PDS_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n' },
        'PDS_PRIVATE_KEY must be PKCS#8 PEM, not PKCS#1',
      ],
      ['a key that is not PEM', { PDS_PRIVATE_KEY: 'not a key' }, 'PDS_PRIVATE_KEY must be a PKCS#8 PEM private key'],
      ['an http token URL', { PDS_TOKEN_URL: 'http://int.api.service.nhs.uk/oauth2/token' }, 'PDS_TOKEN_URL must be an https URL'],
      ['an API key with spaces', { PDS_API_KEY: 'app key' }, 'PDS_API_KEY must be the application API key'],
    ])('[H-04] refuses %s, naming the setting and not its value', (_name, change, message) => {
      expect(() => readConfig({ ...env, ...production, ...credentials, ...change })).toThrow(message);
      try {
        readConfig({ ...env, ...production, ...credentials, ...change });
      } catch (error) {
        expect(String(error)).not.toContain(Object.values(change)[0]);
      }
    });
  });
});
