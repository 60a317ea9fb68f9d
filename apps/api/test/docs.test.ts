import { env } from 'cloudflare:workers';
/**
 * The docs paths as clients meet them, through the API: `GET /openapi.json`,
 * the docs page and its assets, the sandbox token endpoint, each switched as
 * the API is configured. They are served by the docs Worker (apps/docs)
 * behind the DOCS binding (`src/docs-forward.ts`; an auxiliary Worker here);
 * without the binding, as in production, each is an unknown path. That the
 * page's validator decides each example exactly as the server answers is
 * tested where the page runs, in Chromium (`e2e/docs-page.test.ts`).
 */
import { LEGACY_ERRORS, catalogueEntries } from '@fgm-is/rules';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { checkResponse } from './support/contract.ts';
import { BASE, SEARCH_PATH, call, fgmHeaders } from './support/http.ts';
import { useSandbox } from './support/sandbox.ts';

useSandbox();

/** The Worker's app over the test env with some vars changed, its responses checked against the document. */
function appWithVars(vars: Record<string, string>) {
  const app = createApp();
  const changed = { ...env, ...vars } as Env;
  return async (path: string, init: RequestInit = {}) => {
    const response = await app.request(`${BASE}${path}`, init, changed);
    await checkResponse(init.method ?? 'GET', `${BASE}${path}`, response);
    return response;
  };
}

/** A deployment outside the sandbox (its required settings filled in), with the docs page on or off. */
const PRODUCTION = {
  ENVIRONMENT: 'production',
  AUTH_JWKS_URL: 'https://auth.example.nhs.uk/.well-known/jwks.json',
  PUBLIC_BASE_URL: 'https://fgm-is.example.nhs.uk',
  LEGACY_MESSAGING: 'off',
};

const diagnostics = async (response: Response) => ((await response.json()) as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics;
const UNKNOWN_PATH = 'Unknown path: this service serves /Flag, /Flag/{id} and /metadata';

describe('GET /openapi.json', () => {
  it('serves the OpenAPI 3.1 document without headers, every path of the sandbox, its server the request origin', async () => {
    const response = await call('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    const document = (await response.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: BASE }]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/Flag', '/Flag/{id}', '/metadata', '/fhir/fgm/query', '/fhir/fgm/create', '/fhir/fgm/delete', '/', '/_sandbox/token']),
    );
  });

  it('lists every catalogue row and every legacy row in some error response', async () => {
    const text = await (await call('/openapi.json')).text();
    const listed = new Set([...text.matchAll(/"x-fgm-errors":\[([^\]]*)\]/g)].flatMap((m) => JSON.parse(`[${m[1]}]`) as string[]));
    expect(catalogueEntries.map((e) => e.key).filter((key) => !listed.has(key))).toEqual([]);
    expect(Object.values(LEGACY_ERRORS).filter((row) => !listed.has(row.key))).toEqual([]);
  });

  it('leaves out what this deployment does not serve: legacy messaging, the page, the console', async () => {
    const response = await appWithVars({ ...PRODUCTION, DOCS_PAGE: 'off' })('/openapi.json');
    const document = (await response.json()) as { servers: { url: string }[]; paths: Record<string, unknown> };
    expect(Object.keys(document.paths).sort()).toEqual(['/Flag', '/Flag/{id}', '/_ping', '/_status', '/metadata', '/openapi.json']);
    expect(document.servers).toEqual([{ url: 'https://fgm-is.example.nhs.uk' }]);
  });

  it('is GET only', async () => {
    const response = await call('/openapi.json', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD');
  });
});

describe('the docs page', () => {
  it('is HTML at / in the sandbox, with its console, the catalogue rendered from the rules, and a strict policy', async () => {
    const response = await call('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('id="console"');
    for (const entry of catalogueEntries) expect(html).toContain(`<th scope="row">${entry.key}</th>`);
    for (const row of Object.values(LEGACY_ERRORS)) expect(html).toContain(`<th scope="row">${row.key}</th>`);
  });

  it.each([
    ['/docs/app.js', 'text/javascript; charset=utf-8'],
    ['/docs/style.css', 'text/css; charset=utf-8'],
  ])('serves %s', async (path, type) => {
    const response = await call(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(type);
    expect((await response.text()).length).toBeGreaterThan(100);
  });

  it('has no other assets', async () => {
    const response = await call('/docs/rules.ts');
    expect(response.status).toBe(404);
    expect(await diagnostics(response)).toBe(UNKNOWN_PATH);
  });

  it('outside the sandbox has no console', async () => {
    const response = await appWithVars({ ...PRODUCTION, DOCS_PAGE: 'on' })('/');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain('id="console"');
    expect(html).not.toContain('href="#console"');
    expect(html).toContain('id="validator"');
  });

  it.each(['/', '/docs/app.js', '/docs/style.css', '/_sandbox/token'])('switched off, %s is the 404 of any unknown path', async (path) => {
    for (const vars of [{ DOCS_PAGE: 'off' }, { ...PRODUCTION, DOCS_PAGE: 'off' }]) {
      const response = await appWithVars(vars)(path, path === '/_sandbox/token' ? { method: 'POST', body: '{"activities":[]}' } : {});
      expect(response.status).toBe(404);
      expect(await diagnostics(response)).toBe(UNKNOWN_PATH);
    }
  });
});

describe('POST /_sandbox/token (sandbox only)', () => {
  const token = async (body: unknown) =>
    call('/_sandbox/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('issues a token the API accepts, with the activities asked for', async () => {
    const response = await token({ activities: ['B0380'] });
    expect(response.status).toBe(200);
    const issued = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const search = await call(`${SEARCH_PATH}9000000009`, { headers: await fgmHeaders({ Authorization: `Bearer ${issued.access_token}` }) });
    expect(search.status).toBe(200);
  });

  it('a token with no FGM activity is refused by the API (403)', async () => {
    const issued = (await (await token({ activities: [] })).json()) as { access_token: string };
    const search = await call(`${SEARCH_PATH}9000000009`, { headers: await fgmHeaders({ Authorization: `Bearer ${issued.access_token}` }) });
    expect(search.status).toBe(403);
    expect(await diagnostics(search)).toBe('The user is not authorised for this interaction');
  });

  it.each([
    ['not JSON', 'activities'],
    ['an unknown element', JSON.stringify({ activities: [], admin: true })],
    ['a malformed activity', JSON.stringify({ activities: ['ALL'] })],
  ])('%s is Invalid request body', async (_name, body) => {
    const response = await call('/_sandbox/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(await diagnostics(response)).toBe('Invalid request body');
  });

  it('does not exist outside the sandbox, even with the page on', async () => {
    const response = await appWithVars({ ...PRODUCTION, DOCS_PAGE: 'on' })('/_sandbox/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"activities":["B0380"]}',
    });
    expect(response.status).toBe(404);
  });

  it('is POST only', async () => {
    expect((await call('/_sandbox/token')).status).toBe(405);
  });
});

describe('without the DOCS binding (a deployment that binds no docs Worker)', () => {
  it.each([
    ['GET', '/openapi.json'],
    ['GET', '/'],
    ['GET', '/docs/app.js'],
    ['POST', '/_sandbox/token'],
    ['DELETE', '/openapi.json'],
  ])('%s %s is the 404 of any unknown path', async (method, path) => {
    // Not checked against the document: a deployment without the docs Worker serves none.
    const { DOCS: _bound, ...withoutDocs } = env;
    const response = await createApp().request(`${BASE}${path}`, method === 'POST' ? { method, body: '{"activities":[]}' } : { method }, withoutDocs);
    expect(response.status).toBe(404);
    expect(await diagnostics(response)).toBe(UNKNOWN_PATH);
  });
});

describe('the forward to the docs Worker', () => {
  it('replaces a context a client sends: a forged one gets no console outside the sandbox', async () => {
    const forged = encodeURIComponent(
      JSON.stringify({ baseUrl: BASE, legacyMessaging: true, docsPage: true, sandboxSigning: { secret: 'mine', issuer: 'x', audience: 'y' } }),
    );
    const response = await appWithVars({ ...PRODUCTION, DOCS_PAGE: 'on' })('/_sandbox/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-FGM-Docs-Context': forged },
      body: '{"activities":["B0380"]}',
    });
    expect(response.status).toBe(404);
  });

  it('hands on its request id in the context, for the docs Worker’s error log', async () => {
    let forwarded: Request | undefined;
    const fetchDocs = async (request: Request) => {
      forwarded = request;
      return new Response('{}');
    };
    const docs = { fetch: fetchDocs } as unknown as Fetcher;
    const response = await createApp().request(`${BASE}/openapi.json`, {}, { ...env, DOCS: docs });
    const context = JSON.parse(decodeURIComponent(forwarded?.headers.get('X-FGM-Docs-Context') ?? '{}')) as { requestId?: string };
    expect(context.requestId).toBe(response.headers.get('X-Request-ID'));
  });

  it('every docs path of the document is one the API hands on', async () => {
    const document = (await (await call('/openapi.json')).json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
    const docsPaths = Object.entries(document.paths)
      .filter(([, item]) => Object.values(item).some((operation) => operation?.tags?.some((tag) => tag === 'Documentation' || tag === 'Sandbox')))
      .map(([path]) => path.replace('{asset}', 'style.css'));
    expect(docsPaths.sort()).toEqual(['/', '/_sandbox/token', '/docs/style.css', '/openapi.json']);
    for (const path of docsPaths) {
      const response = await call(
        path,
        path === '/_sandbox/token' ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"activities":[]}' } : {},
      );
      expect(response.status, path).toBe(200);
    }
  });
});
