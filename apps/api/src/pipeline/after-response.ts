/**
 * Work that must not delay the response: audit hand-off, the request log.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';

/**
 * @internal Resolves on a later turn of the runtime's event loop. The
 * response a handler returns is handed to the runtime when the handler's
 * promise settles, in this turn; anything chained on a promise (a microtask)
 * would still run before the runtime gets control and starts sending it. A
 * zero-delay timer is the first thing that runs after (workerd's clock does
 * not advance while code runs, so it costs no waiting).
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** @internal Each request's work waiting for the next turn: one timer and one `waitUntil` per request, not per step. */
const waiting = new WeakMap<object, (() => Promise<void>)[]>();

/**
 * Runs `work` after the response has gone: on the event loop's next turn,
 * held open by the execution context's `waitUntil` (the Worker stays alive
 * until it settles). Work from several steps of one request shares that
 * turn, unless a step in between waits on I/O (the unread-body step
 * draining a refused upload): the turn can then come before the response is
 * ready, and later work gets a turn of its own. Each piece runs once, none
 * is lost. Where there is no execution context (`app.request` in tests),
 * runs it before returning. `work` should not reject (it handles its own
 * failures); if one piece does, the others still run.
 *
 * Started at once instead (`waitUntil(work())`), its synchronous part (the
 * log line's write, the audit record's serialisation and queue send) ran
 * before the response left; measured on search, that put p50 at 1.29× the
 * bare-KV baseline against 1.16× with the work on the next turn.
 */
export async function afterResponse<E extends AppEnv>(c: Context<E>, work: () => Promise<void>): Promise<void> {
  let ctx: ExecutionContext | undefined;
  try {
    ctx = c.executionCtx as ExecutionContext;
  } catch {
    ctx = undefined;
  }
  if (!ctx) return work();
  const queued = waiting.get(c);
  if (queued) {
    queued.push(work);
    return;
  }
  const batch = [work];
  waiting.set(c, batch);
  ctx.waitUntil(
    nextTurn().then(() => {
      // Work added from here on (a step still running when the turn came) waits for a turn of its own.
      waiting.delete(c);
      return Promise.allSettled(batch.map((run) => Promise.resolve().then(run))).then(() => undefined);
    }),
  );
}
