/**
 * Work that must not delay the response: audit hand-off, the request log.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';

/**
 * Runs `work` after the response has gone, through the execution context's
 * `waitUntil` (the Worker stays alive until it settles); where there is no
 * execution context (`app.request` in tests), runs it before returning.
 * `work` must not reject: it handles its own failures.
 */
export async function afterResponse<E extends AppEnv>(c: Context<E>, work: () => Promise<void>): Promise<void> {
  let ctx: ExecutionContext | undefined;
  try {
    ctx = c.executionCtx as ExecutionContext;
  } catch {
    ctx = undefined;
  }
  if (ctx) ctx.waitUntil(work());
  else await work();
}
