/** Test-only bindings, read by vitest.config.ts. */
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS?: import('cloudflare:test').D1Migration[];
    /** Test-only binding: facts of wrangler.toml (the top level, [env.integration] and [env.production]) the code must agree with. */
    TEST_WRANGLER?: Record<
      'sandbox' | 'integration' | 'production',
      { crons: string[]; consumers: { queue: string; maxRetries: number | null; deadLetterQueue: string | null }[] }
    >;
  }
}
