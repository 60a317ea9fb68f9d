import { catalogue } from '@fgm-is/rules';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../app-env.ts';
import { sequentialIds, stubServices } from '../test-support/stub-services.ts';
import { requestContext } from './request-context.ts';
import { requestLog } from './request-log.ts';
import { respond, sendOutcome } from './respond.ts';
import { services } from './services.ts';

afterEach(() => vi.restoreAllMocks());

let clock = 0;
const app = new Hono<AppEnv>()
  .use(requestContext({ newId: sequentialIds() }))
  .use(requestLog({ now: () => (clock += 2.5) }))
  .use(services(() => stubServices()))
  .get('/Flag/:id', (c) => respond(c, { resource: { resourceType: 'Flag', id: c.req.param('id') } }))
  .get('/Flag', (c) => sendOutcome(c, catalogue.S1));

describe('requestLog', () => {
  it('[H-04] logs method, route template, status, duration, request id and outcome code, and nothing about the patient', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'info').mockImplementation((line: unknown) => void lines.push(String(line)));
    const read = await app.request('/Flag/a6a6a92a-8247-4250-b1c7-10cda16f0310');
    const search = await app.request('/Flag?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|9000000009', {
      headers: { TraceID: 'secret-trace' },
    });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        level: 'info',
        event: 'request',
        method: 'GET',
        route: '/Flag/:id',
        status: 200,
        durationMs: 2.5,
        requestId: read.headers.get('X-Request-ID'),
        outcome: null,
      },
      {
        level: 'info',
        event: 'request',
        method: 'GET',
        route: '/Flag',
        status: 400,
        durationMs: 2.5,
        requestId: search.headers.get('X-Request-ID'),
        outcome: 'INVALID_SEARCH_DATA',
      },
    ]);
    expect(lines.join('\n')).not.toMatch(/9000000009|a6a6a92a|secret-trace/);
  });
});
