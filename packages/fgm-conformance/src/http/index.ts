/**
 * What every check uses to talk to the server under test: raw HTTP (the
 * kit must be able to send what no well-behaved client would), sandbox
 * tokens minted with the published secret, and the head parameters of §15.
 *
 * @internal
 */

/** An answer, read whole. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** One request to the server under test. */
export interface Ask {
  readonly method?: string;
  /** Path and query, starting with `/`. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** How tokens are had: minted (HS256 with the sandbox secret) or one fixed token for everything. */
export type TokenSettings =
  | { readonly kind: 'mint'; readonly secret: string; readonly issuer: string; readonly audience: string }
  | { readonly kind: 'fixed'; readonly token: string };

/** The published sandbox secret, issuer and audience (spec §15). Sandbox only: never a production secret. */
export const SANDBOX_AUTH = {
  secret: 'fgm-is-sandbox-secret-not-for-production',
  issuer: 'https://auth.sandbox.fgm-is.local',
  audience: 'fgm-is-api',
} as const;

/** The sandbox ASIDs of §15 and L-10. */
export const ASID = {
  service: '200000000000',
  full: '200000000001',
  readOnly: '200000000002',
  none: '200000000003',
  unknown: '200000000099',
} as const;

/** Thrown by a check that cannot run with these settings (for example, it needs minted tokens). */
export class Skip extends Error {
  override readonly name = 'Skip';
}

const encoder = new TextEncoder();

/** @internal base64url of bytes. */
function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** An HS256 JWT over these claims (Web Crypto: runs in Node, browsers and Workers). */
export async function signHs256(
  claims: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): Promise<string> {
  const input = `${base64url(encoder.encode(JSON.stringify(header)))}.${base64url(encoder.encode(JSON.stringify(claims)))}`;
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `${input}.${base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(input))))}`;
}

/** Sends requests to one server, with a bound on each. */
export class Server {
  constructor(
    readonly baseUrl: string,
    private readonly fetcher: typeof fetch,
    private readonly timeoutMs: number,
  ) {}

  /** The absolute URL of a path on the server. */
  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** Sends one request and reads the whole answer; a network failure or timeout throws (the check fails with its message). */
  async send(ask: Ask): Promise<Answer> {
    const init: RequestInit = {
      method: ask.method ?? 'GET',
      headers: ask.headers ?? {},
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    };
    if (ask.body !== undefined) init.body = ask.body;
    let response: Response;
    try {
      response = await this.fetcher(this.url(ask.path), init);
    } catch (error) {
      throw new Error(`no answer to ${init.method} ${ask.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = new TextDecoder().decode(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, text };
  }
}
