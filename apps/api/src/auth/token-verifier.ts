/**
 * Bearer token verification (D-5, D-17) with `jose`: an HS256 shared secret
 * in the sandbox, or RS256/ES256 keys from a JWKS in a deployment.
 */
import { type AccessTokenClaims, type Result, catalogue, parseAccessTokenClaims } from '@fgm-is/rules';
import { type JWTVerifyGetKey, createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import { DependencyUnavailableError } from '../ports/errors.ts';

/**
 * Verifies a bearer token: 401 INVALID_TOKEN as a value; an unreachable key
 * set as `DependencyUnavailableError` (503); anything else is a fault of this
 * service and is thrown as it is (500), on either key source.
 */
export interface TokenVerifier {
  verify(token: string, now: Date): Promise<Result<AccessTokenClaims>>;
}

/** How tokens are verified: a shared HS256 secret (sandbox) or a JWKS (RS256/ES256). */
export type TokenKeySource =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'jwks'; readonly url: string; readonly fetch?: typeof fetch | undefined };

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  readonly keys: TokenKeySource;
  readonly issuer: string;
  readonly audience: string;
  /** The longest token lifetime accepted (D-17); the rules' default when absent. */
  readonly maxTtlSeconds?: number | undefined;
}

const REQUIRED_CLAIMS = ['sub', 'exp', 'iss', 'aud'];

/** How many verified tokens an isolate remembers, and for how long at most (a revoked signing key is trusted no longer than this). */
const REMEMBERED_TOKENS = 256;
const REMEMBER_MS = 60_000;

/**
 * @internal Tokens whose signature, issuer and audience have been verified
 * in this isolate, with their payload: a client sends the same token on
 * every call until it expires, and checking a signature is most of a
 * search's own CPU. Only exact token strings match (the signature is part
 * of the key); the time checks (`exp`, `nbf`, `iat`, lifetime) are made
 * again on every use, against that request's clock.
 */
class VerifiedTokens {
  readonly #entries = new Map<string, { readonly payload: { readonly exp: number }; readonly from: number; readonly until: number }>();

  /** The payload of `token` if it was verified at most {@link REMEMBER_MS} before `now` and has not expired (jose's rule: `exp` > now). */
  get(token: string, now: Date): unknown {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    const time = now.getTime();
    if (time < entry.from || time >= entry.until) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.payload.exp > Math.floor(time / 1000) ? entry.payload : undefined;
  }

  /** Remembers a verified token, forgetting the oldest when full. */
  set(token: string, payload: { readonly exp: number }, now: Date): void {
    if (this.#entries.size >= REMEMBERED_TOKENS) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(token, { payload, from: now.getTime(), until: now.getTime() + REMEMBER_MS });
  }
}

/** @internal Whether a jose failure is the key set being unreachable or unusable rather than the token being bad. */
function isKeySetOutage(error: errors.JOSEError): boolean {
  return error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC';
}

/**
 * A {@link TokenVerifier} on `jose`. Only the algorithms of the configured key
 * source are accepted, so `alg: none` and HS256-signed-with-the-public-key
 * confusion are refused; `exp`, `nbf`, `iss` and `aud` are checked against
 * the injected clock with no leeway, then the rules check the claims and the
 * limits of D-17.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { keys, issuer, audience, maxTtlSeconds } = options;
  const verifyOptions = { issuer, audience, requiredClaims: REQUIRED_CLAIMS };
  const claimsOf = (payload: unknown, now: Date) => parseAccessTokenClaims(payload, { now, maxTtlSeconds });
  const verified = new VerifiedTokens();
  /** The claims of a token verified moments ago, re-checked against `now`; `undefined` when it must be verified. */
  const remembered = (token: string, now: Date) => {
    const payload = verified.get(token, now);
    return payload === undefined ? undefined : claimsOf(payload, now);
  };
  /** Checks the claims of a freshly verified token, remembering it when they pass. */
  const accept = (token: string, payload: { readonly exp?: number }, now: Date) => {
    const claims = claimsOf(payload, now);
    if (claims.ok && typeof payload.exp === 'number') verified.set(token, { ...payload, exp: payload.exp }, now);
    return claims;
  };

  if (keys.kind === 'secret') {
    // Imported once per verifier (per isolate), not once per request.
    const secret = crypto.subtle.importKey('raw', new TextEncoder().encode(keys.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    return {
      async verify(token, now) {
        const known = remembered(token, now);
        if (known) return known;
        try {
          const { payload } = await jwtVerify(token, await secret, { ...verifyOptions, algorithms: ['HS256'], currentDate: now });
          return accept(token, payload, now);
        } catch (error) {
          if (error instanceof errors.JOSEError) return { ok: false, error: catalogue.INVALID_TOKEN };
          throw error;
        }
      },
    };
  }

  // The key set's own fetch: a network failure is the key set being unreachable (503), never a bad token.
  const fetchKeys = keys.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(keys.url), {
    timeoutDuration: 5000,
    [customFetch]: async (...args: Parameters<typeof fetch>) => {
      try {
        return await fetchKeys(...args);
      } catch (cause) {
        throw new DependencyUnavailableError('jwks', { cause });
      }
    },
  });
  return {
    async verify(token, now) {
      const known = remembered(token, now);
      if (known) return known;
      try {
        const { payload } = await jwtVerify(token, jwks, { ...verifyOptions, algorithms: ['RS256', 'ES256'], currentDate: now });
        return accept(token, payload, now);
      } catch (error) {
        if (error instanceof DependencyUnavailableError) throw error;
        if (error instanceof errors.JOSEError) {
          if (isKeySetOutage(error)) throw new DependencyUnavailableError('jwks', { cause: error });
          return { ok: false, error: catalogue.INVALID_TOKEN };
        }
        throw error;
      }
    },
  };
}
