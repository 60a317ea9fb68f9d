import { exports } from 'cloudflare:workers';
/**
 * The docs Worker on its own: what it serves with the context the API
 * hands it, and that it serves nothing optional without one (a request that
 * did not come through the API, or a context that does not parse). The
 * routes as clients meet them, through the API, are tested with the API
 * (apps/api/test/docs.test.ts).
 */
import { DOCS_CONTEXT_HEADER, type DocsContext } from '@fgm-is/api/routes';
import { MAX_BODY_BYTES } from '@fgm-is/rules';
import { describe, expect, it } from 'vitest';

const BASE = 'https://docs.test';
const UNKNOWN_PATH = 'Unknown path: this service serves /Flag, /Flag/{id} and /metadata';
const SIGNING = { secret: 'a-test-secret-of-at-least-32-characters', issuer: 'https://issuer.test', audience: 'fgm-is-api' };

/** The context the API gives in the sandbox. */
const SANDBOX: DocsContext = { baseUrl: 'https://api.test', legacyMessaging: true, docsPage: true, sandboxSigning: SIGNING };

/** Calls the Worker, with the API's context when given (a string is sent as it is). */
function call(path: string, context?: DocsContext | string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (context !== undefined) {
    headers.set(DOCS_CONTEXT_HEADER, typeof context === 'string' ? context : encodeURIComponent(JSON.stringify(context)));
  }
  return exports.default.fetch(`${BASE}${path}`, { ...init, headers });
}

const diagnostics = async (response: Response) => ((await response.json()) as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics;
const pathsOf = async (response: Response) => Object.keys(((await response.json()) as { paths: Record<string, unknown> }).paths).sort();

/** @internal base64url to bytes. */
function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

describe('with the API’s context', () => {
  it('serves the whole sandbox document, its server the API’s base URL', async () => {
    const response = await call('/openapi.json', SANDBOX);
    expect(response.status).toBe(200);
    const document = (await response.clone().json()) as { servers: { url: string }[] };
    expect(document.servers).toEqual([{ url: 'https://api.test' }]);
    expect(await pathsOf(response)).toEqual(
      [
        '/',
        '/Flag',
        '/Flag/{id}',
        '/_ping',
        '/_sandbox/token',
        '/_status',
        '/docs/{asset}',
        '/fhir/fgm/create',
        '/fhir/fgm/delete',
        '/fhir/fgm/query',
        '/metadata',
        '/openapi.json',
      ].sort(),
    );
  });

  it('signs a sandbox token with the secret, issuer and audience it was given (HS256)', async () => {
    const response = await call('/_sandbox/token', SANDBOX, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ activities: ['B0370'], sub: '123456789012' }),
    });
    expect(response.status).toBe(200);
    const { access_token: token } = (await response.json()) as { access_token: string };
    const [header = '', payload = '', signature = ''] = token.split('.');
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(SIGNING.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    expect(await crypto.subtle.verify('HMAC', key, fromBase64url(signature), new TextEncoder().encode(`${header}.${payload}`))).toBe(true);
    const claims = JSON.parse(new TextDecoder().decode(fromBase64url(payload))) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: SIGNING.issuer, aud: SIGNING.audience, sub: '123456789012', activities: ['B0370'] });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it('a token request over the size limit is 413, one of invalid UTF-8 is Invalid request body', async () => {
    const large = await call('/_sandbox/token', SANDBOX, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"activities":[],"pad":"${'x'.repeat(MAX_BODY_BYTES)}"}`,
    });
    expect(large.status).toBe(413);
    const notUtf8 = await call('/_sandbox/token', SANDBOX, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: new Uint8Array([0x7b, 0xff, 0x7d]),
    });
    expect(notUtf8.status).toBe(400);
    expect(await diagnostics(notUtf8)).toBe('Invalid request body');
  });

  it('a known path with another method is 405 with Allow', async () => {
    const response = await call('/docs/app.js', SANDBOX, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD');
    expect((await call('/_sandbox/token', SANDBOX)).headers.get('Allow')).toBe('POST');
  });

  it('any other path is the unknown path of the API', async () => {
    const response = await call('/Flag', SANDBOX);
    expect(response.status).toBe(404);
    expect(await diagnostics(response)).toBe(UNKNOWN_PATH);
  });
});

/** @internal HTML text as read: tags dropped, the page's numeric character references decoded. */
const textOf = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** The rows of the served page's Headers table, cell by cell, as a reader sees them. */
function pageHeaderRows(html: string): string[][] {
  const table = /<caption id="headers-caption">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => textOf(c[1] ?? '')),
  );
}

/** The rows of the Markdown table of request headers in the document's introduction. */
function documentHeaderRows(description: string): string[][] {
  const lines = description.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| Header | When | What |'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('| ')) break;
    rows.push(
      line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.replace(/\\\|/g, '|')),
    );
  }
  return rows;
}

describe('the docs page and the OpenAPI document say the same of every request header', () => {
  type Operation = { requestBody?: { description?: string }; responses: Record<string, { description: string }> };
  type Document = {
    info: { description: string };
    paths: Record<string, Record<string, Operation>>;
    components: {
      parameters: Record<string, { name: string; in: string; description: string }>;
      securitySchemes: { bearer: { description: string } };
    };
  };
  const served = async () => ({
    html: await (await call('/', SANDBOX)).text(),
    document: (await (await call('/openapi.json', SANDBOX)).json()) as Document,
  });

  it('the page’s Headers table is the document’s, row by row, word for word', async () => {
    const { html, document } = await served();
    const page = pageHeaderRows(html);
    expect(page.length).toBeGreaterThan(8);
    expect(page).toEqual(documentHeaderRows(document.info.description));
  });

  it('each header’s words are where the document describes it: parameter, security scheme, request body, 406', async () => {
    const { html, document } = await served();
    const operations = Object.values(document.paths).flatMap((item) => ['get', 'put', 'post'].flatMap((method) => item[method] ?? []));
    const headerParameters = Object.values(document.components.parameters).filter((p) => p.in === 'header');
    for (const [shown = '', when = '', what = ''] of pageHeaderRows(html)) {
      const name = shown.split(':')[0] ?? '';
      if (name === 'Authorization') expect(document.components.securitySchemes.bearer.description).toBe(what);
      else if (name === 'Content-Type') {
        const paths = when.includes('legacy') ? ['/fhir/fgm/query', '/fhir/fgm/create', '/fhir/fgm/delete'] : ['/Flag', '/Flag/{id}'];
        const bodies = paths.flatMap((path) => Object.values(document.paths[path] ?? {}).flatMap((op) => (op.requestBody ? [op.requestBody] : [])));
        expect(bodies).toHaveLength(paths.length);
        for (const body of bodies) expect(body.description, shown).toBe(what);
      } else if (name === 'Accept') {
        const notAcceptable = operations.flatMap((op) => (op.responses['406'] ? [op.responses['406']] : []));
        expect(notAcceptable.length).toBeGreaterThanOrEqual(5);
        for (const response of notAcceptable) expect(response.description.startsWith(`${what}\n\n`)).toBe(true);
      } else expect(headerParameters.find((p) => p.name === name)?.description, name).toBe(what);
    }
    // And every header parameter of the document is on the page.
    const onPage = new Set(pageHeaderRows(html).map(([shown = '']) => shown.split(':')[0]));
    expect(headerParameters.map((p) => p.name).filter((name) => !onPage.has(name))).toEqual([]);
  });

  it('the Authorization row says what D-3 and D-5 say: missing or malformed is 400, a well-shaped token that does not verify or is expired 401', async () => {
    const { html } = await served();
    const what = pageHeaderRows(html).find(([shown]) => shown?.startsWith('Authorization'))?.[2] ?? '';
    expect(what).toContain('Missing or malformed: 400 PRECONDITION_FAILED "Missing or invalid head parameter" (D-3).');
    expect(what).toContain(
      'Well shaped but not verifying (alg none included), expired, or lacking a required claim: 401 ACCESS_DENIED "Invalid or expired access token"',
    );
  });

  it('the page’s check order and error text are the document’s', async () => {
    const { html, document } = await served();
    const order = /The checks run in the order of D-5: [^\n]*?\(spec §8\)\./.exec(document.info.description)?.[0];
    expect(order).toContain('head parameters (400) → token (401)');
    const section = /<section id="headers"[\s\S]*?<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
    expect(textOf(section).startsWith(order ?? '(none)')).toBe(true);
  });
});

describe('without the API’s context, nothing optional is served', () => {
  it.each([
    ['none', undefined],
    ['not URI-encoded JSON', '{not json'],
    ['of the wrong shape', encodeURIComponent(JSON.stringify({ ...SANDBOX, docsPage: 'yes' }))],
  ])('context %s: the document without the optional paths, on the request’s origin', async (_name, context) => {
    const response = await call('/openapi.json', context);
    expect(response.status).toBe(200);
    const document = (await response.clone().json()) as { servers: { url: string }[] };
    expect(document.servers).toEqual([{ url: BASE }]);
    expect(await pathsOf(response)).toEqual(['/Flag', '/Flag/{id}', '/_ping', '/_status', '/metadata', '/openapi.json']);
  });

  it.each(['/', '/docs/app.js', '/_sandbox/token'])('%s is the 404 of any unknown path', async (path) => {
    const response = await call(path, undefined, path === '/_sandbox/token' ? { method: 'POST', body: '{"activities":[]}' } : {});
    expect(response.status).toBe(404);
    expect(await diagnostics(response)).toBe(UNKNOWN_PATH);
  });
});
