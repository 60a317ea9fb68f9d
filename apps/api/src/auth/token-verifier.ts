import { type AccessTokenClaims, type Result, catalogue, parseAccessTokenClaims } from '@fgm-is/rules';
import { type JWTVerifyGetKey, createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import { DependencyUnavailableError } from '../ports/errors.ts';

/** Verifies a bearer token (D-5): 401 INVALID_TOKEN as a value, a JWKS outage as `DependencyUnavailableError`. */
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
}

const REQUIRED_CLAIMS = ['sub', 'exp', 'iss', 'aud'];

/** @internal Whether a jose failure is the key set being unreachable rather than the token being bad. */
function isJwksOutage(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC';
  return true;
}

/**
 * A {@link TokenVerifier} on `jose`. Only the algorithms of the configured key
 * source are accepted, so `alg: none` and HS256-signed-with-the-public-key
 * confusion are refused; `exp`, `iss` and `aud` are checked against the
 * injected clock, with no leeway.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { keys, issuer, audience } = options;
  const verifyOptions = { issuer, audience, requiredClaims: REQUIRED_CLAIMS };

  if (keys.kind === 'secret') {
    // Imported once per verifier (per isolate), not once per request.
    const secret = crypto.subtle.importKey('raw', new TextEncoder().encode(keys.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    return {
      async verify(token, now) {
        try {
          const { payload } = await jwtVerify(token, await secret, { ...verifyOptions, algorithms: ['HS256'], currentDate: now });
          return parseAccessTokenClaims(payload);
        } catch (error) {
          if (error instanceof errors.JOSEError) return { ok: false, error: catalogue.INVALID_TOKEN };
          throw error;
        }
      },
    };
  }

  const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(keys.url), {
    timeoutDuration: 5000,
    ...(keys.fetch ? { [customFetch]: keys.fetch } : {}),
  });
  return {
    async verify(token, now) {
      try {
        const { payload } = await jwtVerify(token, jwks, { ...verifyOptions, algorithms: ['RS256', 'ES256'], currentDate: now });
        return parseAccessTokenClaims(payload);
      } catch (error) {
        if (isJwksOutage(error)) throw new DependencyUnavailableError('jwks', { cause: error });
        return { ok: false, error: catalogue.INVALID_TOKEN };
      }
    },
  };
}
