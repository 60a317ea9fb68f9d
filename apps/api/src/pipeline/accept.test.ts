import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { stubServices } from '../test-support/stub-services.ts';
import { acceptFhirJson } from './accept.ts';
import { services } from './services.ts';

const app = new Hono<AppEnv>().use(services(() => stubServices())).get('/', acceptFhirJson(), (c) => c.text('ok'));

describe('acceptFhirJson', () => {
  it.each(['json', 'application/fhir+json', 'application/json', 'application/fhir+json;fhirVersion=4.0'])(
    'lets _format=%s through (D-24)',
    async (format) => {
      const res = await app.request(`/?_format=${encodeURIComponent(format)}`);
      expect(res.status).toBe(200);
    },
  );

  it.each(['xml', 'application/fhir+xml', 'html', 'json&_format=xml'])('answers _format=%s with the D-12 406 (D-24)', async (format) => {
    const res = await app.request(`/?_format=${format.includes('&') ? format : encodeURIComponent(format)}`);
    expect(res.status).toBe(406);
    expect(((await res.json()) as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics).toBe('Only application/fhir+json is supported');
  });

  it.each(['/?%5Fformat=xml', '/?_%66ormat=xml', '/?a=%7C&_format=xml', '/?patient:identifier=x%7Cy&%5fformat=html'])(
    'decodes an encoded _format before deciding: %s is 406',
    async (path) => {
      expect((await app.request(path)).status).toBe(406);
    },
  );

  it.each(['/?format=xml', '/?_formats=xml', '/?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009'])(
    'lets a query without _format through: %s',
    async (path) => {
      expect((await app.request(path)).status).toBe(200);
    },
  );

  it.each([undefined, 'application/fhir+json', 'application/json', '*/*', 'application/*', 'text/html, application/fhir+json;q=0.5'])(
    'lets Accept %s through',
    async (accept) => {
      const res = await app.request('/', { headers: accept === undefined ? {} : { Accept: accept } });
      expect(res.status).toBe(200);
    },
  );

  it.each(['application/xml', 'text/html', 'application/fhir+json;q=0'])('answers Accept %s with the D-12 406', async (accept) => {
    const res = await app.request('/', { headers: { Accept: accept } });
    expect(res.status).toBe(406);
    expect(res.headers.get('Content-Type')).toBe('application/fhir+json; charset=utf-8');
    expect(((await res.json()) as { issue: { diagnostics: string }[] }).issue[0]?.diagnostics).toBe('Only application/fhir+json is supported');
  });
});
