/**
 * Secrets the Worker reads that `wrangler types` cannot see (they are set
 * with `wrangler secret put` or in `.dev.vars`, never in wrangler.toml).
 */
declare global {
  namespace Cloudflare {
    interface Env {
      /** HS256 key of access tokens, when a deployment uses a shared secret instead of AUTH_JWKS_URL. */
      AUTH_JWT_SECRET?: string;
      /** The application's RSA private key (PKCS#8 PEM) for the NHS API platform's signed JWT sign-in to PDS. */
      PDS_PRIVATE_KEY?: string;
    }
  }
}

export {};
