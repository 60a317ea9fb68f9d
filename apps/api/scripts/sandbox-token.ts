/**
 * Signs SANDBOX access tokens with the issuer, audience and HS256 secret of
 * the Worker's own configuration (wrangler.toml's sandbox vars, overridden
 * by `.dev.vars` as `wrangler dev` does), so a token always matches what the
 * Worker verifies. Used by `npm run token` and the bench.
 */
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { type ConfigEnv, readConfig } from '../src/config/index.ts';

process.env.WRANGLER_LOG ??= 'error';
const { unstable_getVarsForDev, unstable_readConfig } = await import('wrangler');

/** Claims of a sandbox token; `iss`, `aud`, `iat` and `exp` are added. */
export interface SandboxClaims {
  readonly sub: string;
  readonly activities: readonly string[];
  readonly role?: string;
  readonly org?: string;
}

/** The sandbox Worker's vars as `wrangler dev` gives them: wrangler.toml's top-level vars, overridden by `.dev.vars`. */
export function sandboxVars(): ConfigEnv {
  const wrangler = unstable_readConfig({ config: fileURLToPath(new URL('../wrangler.toml', import.meta.url)) });
  const bindings = unstable_getVarsForDev(wrangler.configPath, undefined, wrangler.vars, undefined, true);
  return Object.fromEntries(
    Object.entries(bindings).map(([name, binding]) => [name, (binding as { value?: unknown }).value]),
  ) as unknown as ConfigEnv;
}

/** The sandbox's token settings, read by the Worker's own configuration reader from its own vars. */
export function sandboxAuthSettings(): { issuer: string; audience: string; secret: string } {
  const config = readConfig(sandboxVars());
  if (config.environment !== 'sandbox' || config.auth.keys.kind !== 'secret') {
    throw new Error('only sandbox tokens are signed here: ENVIRONMENT is not "sandbox" or tokens are not HS256');
  }
  return { issuer: config.auth.issuer, audience: config.auth.audience, secret: config.auth.keys.secret };
}

/** A signed HS256 sandbox token valid for `ttlSeconds` from now. */
export async function signSandboxToken(claims: SandboxClaims, ttlSeconds = 3600): Promise<string> {
  const { issuer, audience, secret } = sandboxAuthSettings();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    activities: [...claims.activities],
    ...(claims.role ? { role: claims.role } : {}),
    ...(claims.org ? { org: claims.org } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}
