import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { hasValidHost, refusesMalformedHost, validHost } from './valid-host.ts';

/** A request whose URL a runtime built from `host` (set over a well-formed URL, which `new Request` would otherwise refuse), with that `Host` header when it is ASCII. */
class RequestFromHost extends Request {
  readonly #url: string;

  constructor(host: string, path = '/', init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (/^[\x20-\x7e]*$/.test(host)) headers.set('Host', host);
    super(`https://fgm.test${path}`, { ...init, headers });
    this.#url = `https://${host}${path}`;
  }

  override get url(): string {
    return this.#url;
  }
}

const MALFORMED = ['a b', 'a@b', 'x:99999', 'ünicode.example', '', 'a:', 'a:b', 'a,b', 'a%41b', '[::1', 'x:1:2', 'a/b'];
const WELL_FORMED = [
  'fgm.test',
  'FGM.Test',
  'fgm.test:443',
  'fgm.test:0',
  'fgm.test:65535',
  '127.0.0.1:8787',
  '[::1]',
  '[::1]:8787',
  'localhost',
  'xn--nicode-2ya.example',
  'a_b.example',
  'example.nhs.uk.',
];

describe('[H-04] hasValidHost (RFC 9112 §3.2)', () => {
  it.each(MALFORMED)('the host %j is malformed', (host) => {
    expect(hasValidHost(new RequestFromHost(host))).toBe(false);
  });

  it.each(WELL_FORMED)('the host %j is well-formed', (host) => {
    expect(hasValidHost(new RequestFromHost(host))).toBe(true);
  });

  it('a malformed Host header is malformed even when the URL is not', () => {
    expect(hasValidHost(new Request('https://fgm.test/', { headers: { Host: 'x:99999' } }))).toBe(false);
    expect(hasValidHost(new Request('https://fgm.test/', { headers: { Host: 'a, b' } }))).toBe(false);
    expect(hasValidHost(new Request('https://fgm.test/'))).toBe(true);
  });
});

describe('[H-04] validHost', () => {
  let channelOn = true;
  const refusesItself = refusesMalformedHost(
    createMiddleware<AppEnv>(async function refusesItself(c, next) {
      if (!hasValidHost(c.req.raw)) return c.text('refused in the channel', 400);
      await next();
    }),
    () => channelOn,
  );
  const app = new Hono<AppEnv>()
    .use(validHost())
    .get('/plain', (c) => c.text('served'))
    .get('/channel', refusesItself, (c) => c.text('served by the channel'))
    .post('/channel', (c) => c.text('another method, not the channel'));

  it('a malformed host → 400 PRECONDITION_FAILED as a FHIR OperationOutcome, before the route runs', async () => {
    const response = await app.request(new RequestFromHost('a b', '/plain'));
    expect(response.status).toBe(400);
    expect(response.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
    expect(await response.json()).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'invalid',
          details: { coding: [{ code: 'PRECONDITION_FAILED' }] },
          diagnostics: 'Missing or invalid head parameter',
        },
      ],
    });
  });

  it('a well-formed host passes through', async () => {
    expect(await (await app.request(new RequestFromHost('fgm.test', '/plain'))).text()).toBe('served');
  });

  it('leaves a malformed host to a route that refuses it itself, when the request reaches that route', async () => {
    channelOn = true;
    expect(await (await app.request(new RequestFromHost('x:99999', '/channel'))).text()).toBe('refused in the channel');
    expect((await app.request(new RequestFromHost('x:99999', '/channel', { method: 'POST' }))).headers.get('Content-Type')).toBe(
      'application/fhir+json; charset=utf-8',
    );
    channelOn = false;
    expect((await app.request(new RequestFromHost('x:99999', '/channel'))).headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
  });
});
