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

  if (keys.kind === 'secret') {
    // Imported once per verifier (per isolate), not once per request.
    const secret = crypto.subtle.importKey('raw', new TextEncoder().encode(keys.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    return {
      async verify(token, now) {
        try {
          const { payload } = await jwtVerify(token, await secret, { ...verifyOptions, algorithms: ['HS256'], currentDate: now });
          return claimsOf(payload, now);
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
      try {
        const { payload } = await jwtVerify(token, jwks, { ...verifyOptions, algorithms: ['RS256', 'ES256'], currentDate: now });
        return claimsOf(payload, now);
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
