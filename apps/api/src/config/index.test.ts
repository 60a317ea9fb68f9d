import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, readConfig } from './index.ts';

describe('readConfig', () => {
  it('reads the sandbox configuration of wrangler.toml', () => {
    const config = readConfig(env);
    expect(config.policy.serviceAsid).toBe('200000000000');
    expect(config.policy.asids['200000000002']).toEqual(['search']);
    expect(config.auth.keys.kind).toBe('secret');
    expect(config.directory).toEqual({ kind: 'kv' });
    expect(config.publicBaseUrl).toBeUndefined();
  });

  it.each([
    ['the sandbox secret outside the sandbox', { ENVIRONMENT: 'production' }],
    ['no key source', { AUTH_JWT_SECRET: undefined, AUTH_JWKS_URL: '' }],
    ['a short secret', { AUTH_JWT_SECRET: 'short' }],
    ['an http JWKS URL', { AUTH_JWKS_URL: 'http://auth.example/jwks' }],
    ['an unknown directory', { PATIENT_DIRECTORY: 'ldap' }],
    ['PDS without a base URL', { PATIENT_DIRECTORY: 'pds', PDS_BASE_URL: '' }],
    ['a malformed allow-list', { ASID_ALLOW_LIST: { '123': ['search'] } }],
    ['an unknown interaction', { ACTIVITY_MAP: { B0370: ['delete'] } }],
    ['a bad service ASID', { SERVICE_ASID: 'abc' }],
  ])('refuses %s', (_name, change) => {
    expect(() => readConfig({ ...env, ...change } as typeof env)).toThrow(ConfigurationError);
  });

  it('never puts a secret in its message', () => {
    try {
      readConfig({ ...env, ENVIRONMENT: 'production' });
    } catch (error) {
      expect((error as Error).message).not.toContain(env.AUTH_JWT_SECRET);
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
