import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { afterResponse } from './after-response.ts';

/** An app whose one route defers a step and notes, in order, what ran. */
function tracedApp(steps: string[]) {
  return new Hono<AppEnv>().get('/', async (c) => {
    await afterResponse(c, async () => void steps.push('after-response work'));
    steps.push('handler returned');
    return c.text('ok');
  });
}

describe('afterResponse', () => {
  it('runs the work only once the response has been handed back, and the execution context waits for it', async () => {
    const steps: string[] = [];
    const ctx = createExecutionContext();
    const response = await tracedApp(steps).fetch(new Request('http://fgm.test/'), {}, ctx);
    // Every microtask queued by the handler has run by now: work chained on a promise would already be here.
    await Promise.resolve();
    steps.push('response received');
    expect(await response.text()).toBe('ok');
    await waitOnExecutionContext(ctx);
    expect(steps).toEqual(['handler returned', 'response received', 'after-response work']);
  });

  it('runs the work of several steps of one request on the same turn, each once', async () => {
    const steps: string[] = [];
    const app = new Hono<AppEnv>()
      .use(async (c, next) => {
        await next();
        await afterResponse(c, async () => void steps.push('outer step'));
      })
      .get('/', async (c) => {
        await afterResponse(c, async () => void steps.push('inner step'));
        return c.text('ok');
      });
    const ctx = createExecutionContext();
    const response = await app.fetch(new Request('http://fgm.test/'), {}, ctx);
    await Promise.resolve();
    steps.push('response received');
    await response.arrayBuffer();
    await waitOnExecutionContext(ctx);
    expect(steps).toEqual(['response received', 'inner step', 'outer step']);
  });

  it('asks the execution context to wait once per request, and gives work queued after its turn came a turn of its own', async () => {
    const steps: string[] = [];
    const app = new Hono<AppEnv>()
      .use(async (c, next) => {
        await next();
        // A step that waits on I/O after an inner step queued its work (as the unread-body step draining an upload).
        await new Promise((resolve) => setTimeout(resolve, 5));
        await afterResponse(c, async () => void steps.push('after the wait'));
      })
      .use(async (c, next) => {
        await next();
        await afterResponse(c, async () => void steps.push('second step'));
      })
      .get('/', async (c) => {
        await afterResponse(c, async () => {
          throw new Error('a piece that rejects');
        });
        await afterResponse(c, async () => void steps.push('first step'));
        return c.text('ok');
      });
    const ctx = createExecutionContext();
    const waits: Promise<unknown>[] = [];
    const counting = { ...ctx, waitUntil: (work: Promise<unknown>) => void waits.push(work) } as ExecutionContext;
    await (await app.fetch(new Request('http://fgm.test/'), {}, counting)).arrayBuffer();
    await Promise.all(waits);
    expect(steps).toEqual(['first step', 'second step', 'after the wait']);
    expect(waits).toHaveLength(2);
  });

  it('without an execution context (app.request), runs the work before returning', async () => {
    const steps: string[] = [];
    await tracedApp(steps).request('/');
    steps.push('response received');
    expect(steps).toEqual(['after-response work', 'handler returned', 'response received']);
  });
});
