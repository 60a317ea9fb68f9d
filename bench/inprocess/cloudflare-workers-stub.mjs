// Stand-in for workerd's `cloudflare:workers` in Node (see cloudflare-workers-hooks.mjs).
export class DurableObject {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}
export const env = {};
