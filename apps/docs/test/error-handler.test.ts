/**
 * The docs Worker's answer to a fault: the catalogue's 500, and one log
 * line with the API's request id and the error's class, never its message.
 */
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DocsEnv, docsContextOf } from '../src/context.ts';
import { docsErrorHandler } from '../src/error-handler.ts';

const REQUEST_ID = '0b6c1f0e-6a55-4f7e-9c1d-2f4b8e3a9d10';

const app = new Hono<DocsEnv>()
  .use(async (c, next) => {
    c.set('context', docsContextOf(c.req.raw));
    await next();
  })
  .get('/openapi.json', () => {
    throw new TypeError('cannot read 9000000009');
  })
  .onError(docsErrorHandler());

/** A request as the API forwards it, with its request id in the context (or a context without one). */
function forwarded(requestId?: string): Request {
  const context = { baseUrl: 'https://api.test', legacyMessaging: false, docsPage: false, ...(requestId ? { requestId } : {}) };
  return new Request('https://docs.test/openapi.json', { headers: { 'X-FGM-Docs-Context': encodeURIComponent(JSON.stringify(context)) } });
}

afterEach(() => vi.restoreAllMocks());

describe('docsErrorHandler', () => {
  it.each([
    ['the API’s request id', REQUEST_ID, REQUEST_ID],
    ['none, from an API that sends none', undefined, null],
  ])('answers 500 INTERNAL_SERVER_ERROR and logs the route, the class and %s, never the message', async (_name, sent, logged) => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    const response = await app.fetch(forwarded(sent));
    expect(response.status).toBe(500);
    const body = (await response.json()) as { issue: { details: { coding: { code: string }[] } }[] };
    expect(body.issue[0]?.details.coding[0]?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { level: 'error', event: 'docs-error', route: '/openapi.json', error: 'TypeError', requestId: logged },
    ]);
    expect(lines.join('')).not.toContain('9000000009');
  });

  it('a request id that is not a UUID makes the context not parse (nothing optional, no id)', () => {
    expect(docsContextOf(forwarded('not-a-uuid')).requestId).toBeUndefined();
  });
});
