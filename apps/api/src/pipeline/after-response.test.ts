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

  it('without an execution context (app.request), runs the work before returning', async () => {
    const steps: string[] = [];
    await tracedApp(steps).request('/');
    steps.push('response received');
    expect(steps).toEqual(['after-response work', 'handler returned', 'response received']);
  });
});
