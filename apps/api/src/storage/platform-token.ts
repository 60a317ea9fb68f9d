/**
 * Access tokens from the NHS API platform for an application-restricted API
 * (PDS), by signed JWT client credentials: an RS512 client assertion signed
 * with the application's private key, exchanged at the platform's token
 * endpoint for a bearer token that is then reused until shortly before it
 * expires, once per isolate (not per request), and renewed when PDS says it
 * is no longer good.
 */
import * as v from 'valibot';
import { signCompactJws } from '../auth/compact-jws.ts';
import { DependencyUnavailableError, guardDependency } from '../ports/errors.ts';

/** What the platform needs to know about this application (issue 19; the platform's "signed JWT authentication" guide). */
interface PlatformCredentials {
  /** The platform's token endpoint, e.g. `https://int.api.service.nhs.uk/oauth2/token`: also the assertion's `aud`. */
  readonly tokenUrl: string;
  /** The application's API key: the assertion's `iss` and `sub`. */
  readonly apiKey: string;
  /** The `kid` of the public key registered for the application. */
  readonly keyId: string;
  /** The application's RSA private key, PKCS#8 PEM. */
  readonly privateKeyPem: string;
}

/** Options of {@link platformTokenSource}. */
export interface PlatformTokenOptions extends PlatformCredentials {
  readonly fetch: typeof fetch;
  /** The clock, in ms since the epoch (tests move it). */
  readonly now?: () => number;
  /** Give up on the token endpoint after this many ms (default 5000: a clinician is waiting). */
  readonly timeoutMs?: number;
}

/** A bearer token for the platform, had once and reused. */
export interface AccessTokenSource {
  /** The current token, asking the platform for one only when there is none or it is about to expire. */
  token(): Promise<string>;
  /** Drops `token` if it is still the current one (PDS answered 401), so the next call asks the platform again. */
  renew(token: string): void;
}

/** The client assertion lives this long; the platform accepts at most 5 minutes. */
const ASSERTION_LIFETIME_SECONDS = 300;
/** A token is renewed this long before the platform says it expires. */
const RENEW_MARGIN_MS = 60_000;

/** @internal The token endpoint's answer; `expires_in` arrives as a string from the platform (as seen in its examples). */
const TokenResponseSchema = v.object({
  access_token: v.pipe(v.string(), v.nonEmpty()),
  expires_in: v.pipe(v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/))]), v.transform(Number), v.minValue(1)),
});

/** @internal The DER bytes of a PKCS#8 PEM (its shape is checked with the configuration: `config/index.ts`). */
function pkcs8Der(pem: string): Uint8Array<ArrayBuffer> {
  const base64 = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

/** @internal RSASSA-PKCS1-v1_5 with SHA-512: JWS `RS512` (RFC 7518 §3.3). */
const RS512 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' } as const;

/**
 * The application's token source. The private key is imported once, on
 * first use; a malformed key, a refused assertion, a token endpoint that
 * fails or times out, or an answer without a token are each a
 * `DependencyUnavailableError` (503, nothing changed).
 */
export function platformTokenSource(options: PlatformTokenOptions): AccessTokenSource {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 5000;
  let key: Promise<CryptoKey> | undefined;
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const assertion = async (): Promise<string> => {
    // WebCrypto directly (auth/compact-jws.ts says why); the platform stand-in verifies what this signs with jose.
    key ??= crypto.subtle.importKey('pkcs8', pkcs8Der(options.privateKeyPem), RS512, false, ['sign']).then((imported) => {
      // As jose refused, and RFC 7518 §3.3 requires: an RS512 key of at least 2048 bits.
      const bits = (imported.algorithm as { readonly modulusLength?: number }).modulusLength ?? 0;
      if (bits < 2048) throw new TypeError('the private key is shorter than 2048 bits');
      return imported;
    });
    const signingKey = await key;
    const issuedAt = Math.floor(now() / 1000);
    return signCompactJws(
      { alg: 'RS512', typ: 'JWT', kid: options.keyId },
      { jti: crypto.randomUUID(), iss: options.apiKey, sub: options.apiKey, aud: options.tokenUrl, exp: issuedAt + ASSERTION_LIFETIME_SECONDS },
      (input) => crypto.subtle.sign(RS512, signingKey, input),
    );
  };

  const fetchToken = async (): Promise<string> => {
    let signed: string;
    try {
      signed = await assertion();
    } catch (cause) {
      key = undefined;
      throw new DependencyUnavailableError('pds-token', { cause });
    }
    const response = await guardDependency('pds-token', () =>
      options.fetch(options.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: signed,
        }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      }),
    );
    if (!response.ok) {
      await response.body?.cancel();
      throw new DependencyUnavailableError('pds-token');
    }
    const body: unknown = await guardDependency('pds-token', () => response.json());
    const parsed = v.safeParse(TokenResponseSchema, body);
    if (!parsed.success) throw new DependencyUnavailableError('pds-token');
    current = { token: parsed.output.access_token, renewAt: now() + parsed.output.expires_in * 1000 - RENEW_MARGIN_MS };
    return current.token;
  };

  return {
    token() {
      if (current && now() < current.renewAt) return Promise.resolve(current.token);
      // One request to the platform however many lookups are waiting for it.
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    renew(token) {
      if (current?.token === token) current = undefined;
    },
  };
}
