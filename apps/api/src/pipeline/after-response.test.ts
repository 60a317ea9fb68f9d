import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { afterResponse } from './after-response.ts';

describe('afterResponse', () => {
  it('answers without waiting for the work, and the execution context waits for it', async () => {
    const steps: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const app = new Hono<AppEnv>().get('/', async (c) => {
      await afterResponse(c, async () => {
        await held;
        steps.push('after-response work');
      });
      return c.text('ok');
    });
    const ctx = createExecutionContext();
    const response = await app.fetch(new Request('http://fgm.test/'), {}, ctx);
    expect(await response.text()).toBe('ok');
    steps.push('response received');
    release();
    await waitOnExecutionContext(ctx);
    expect(steps).toEqual(['response received', 'after-response work']);
  });

  it('keeps a piece that rejects from reaching the runtime or stopping the other pieces', async () => {
    const steps: string[] = [];
    const app = new Hono<AppEnv>()
      .use(async (c, next) => {
        await next();
        await afterResponse(c, async () => void steps.push('outer step'));
      })
      .get('/', async (c) => {
        await afterResponse(c, async () => {
          throw new Error('a piece that rejects');
        });
        await afterResponse(c, async () => void steps.push('inner step'));
        return c.text('ok');
      });
    const ctx = createExecutionContext();
    const waits: Promise<unknown>[] = [];
    const counting = { ...ctx, waitUntil: (work: Promise<unknown>) => void waits.push(work) } as ExecutionContext;
    await (await app.fetch(new Request('http://fgm.test/'), {}, counting)).arrayBuffer();
    const outcomes = await Promise.allSettled(waits);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(steps).toEqual(['inner step', 'outer step']);
  });

  it('without an execution context (app.request), runs the work before returning', async () => {
    const steps: string[] = [];
    const app = new Hono<AppEnv>().get('/', async (c) => {
      await afterResponse(c, async () => void steps.push('after-response work'));
      steps.push('handler returned');
      return c.text('ok');
    });
    await app.request('/');
    steps.push('response received');
    expect(steps).toEqual(['after-response work', 'handler returned', 'response received']);
  });
});
