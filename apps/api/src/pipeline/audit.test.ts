import { type AccessTokenClaims, catalogue } from '@fgm-is/rules';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEnv, EnvWith } from '../app-env.ts';
import type { AuditEvent } from '../audit/event.ts';
import { at, sequentialIds, stubServices } from '../test-support/stub-services.ts';
import { audit } from './audit.ts';
import type { UserVariables } from './authenticate.ts';
import { requestContext } from './request-context.ts';
import { respond, sendOutcome } from './respond.ts';
import { services } from './services.ts';

afterEach(() => vi.restoreAllMocks());

const user: AccessTokenClaims = { sub: 'u-1', exp: 1, iss: 'i', aud: 'a', activities: [], role: 'R8000', org: 'A12345' };
const asUser = createMiddleware<EnvWith<UserVariables>>(async (c, next) => {
  c.set('user', user);
  await next();
});

function appRecording(record: (event: AuditEvent) => Promise<void>) {
  return new Hono<AppEnv>()
    .use(requestContext({ clock: at('2026-06-30T23:30:00.000Z'), newId: sequentialIds() }))
    .use(services(() => stubServices({ audit: { record } })))
    .get('/found', audit({ channel: 'r4', interaction: 'search' }), asUser, (c) =>
      respond(c, { resource: { resourceType: 'Bundle' }, subject: { nhsNumber: '9000000009', flagId: 'f-1' } }),
    )
    .get('/refused', audit({ channel: 'r4', interaction: 'add' }), (c) => sendOutcome(c, catalogue.A4));
}

describe('[H-06] audit', () => {
  it('records one event with the facts the chain found, after the response', async () => {
    const events: AuditEvent[] = [];
    const res = await appRecording(async (e) => void events.push(e)).request('/found', { headers: { TraceID: 'trace-1', FromASID: '200000000001' } });
    expect(res.status).toBe(200);
    expect(events).toEqual([
      {
        recordId: '00000000-0000-4000-8000-000000000001', // the services' id, never the request id a client may choose
        requestId: res.headers.get('X-Request-ID'),
        occurredAt: '2026-06-30T23:30:00.000Z',
        day: '2026-07-01',
        channel: 'r4',
        interaction: 'search',
        traceId: 'trace-1',
        fromAsid: '200000000001',
        userSub: 'u-1',
        userRole: 'R8000',
        userOrg: 'A12345',
        nhsNumber: '9000000009',
        flagId: 'f-1',
        status: 200,
        detailsCode: null,
        messageBirthDate: null,
        gpPractice: null,
      },
    ]);
  });

  it('records a refusal with the details code the client received, and no user or malformed headers', async () => {
    const events: AuditEvent[] = [];
    const res = await appRecording(async (e) => void events.push(e)).request('/refused', { headers: { TraceID: 'has space', FromASID: '12' } });
    expect(res.status).toBe(400);
    expect(events[0]).toMatchObject({
      interaction: 'add',
      traceId: null,
      fromAsid: null,
      userSub: null,
      status: 400,
      detailsCode: 'VALIDATION_ERROR',
    });
  });

  it.each([
    ['an Error', new TypeError('D1 down for 9000000009'), 'TypeError'],
    ['a string', 'D1 down for 9000000009', 'string'],
    ['undefined', undefined, 'undefined'],
  ])('a write rejected with %s never changes the response and logs only a name', async (_name, reason, name) => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    const res = await appRecording(() => Promise.reject(reason)).request('/found');
    expect(res.status).toBe(200);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { level: 'error', event: 'audit_write_failed', requestId: res.headers.get('X-Request-ID'), error: name },
    ]);
  });
});
