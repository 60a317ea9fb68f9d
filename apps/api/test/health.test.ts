/**
 * Health endpoints (D-22): `/_ping` with no dependency call and no headers;
 * `/_status` with each dependency checked under a short timeout.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { PROBE_TIMEOUT_MS } from '../src/channels/health/index.ts';
import type { HealthProbe } from '../src/ports/health.ts';
import { call } from './support/http.ts';
import { appWith } from './support/services.ts';

const probe = (name: string, behaviour: () => Promise<void>): HealthProbe => ({ name, probe: behaviour });

describe('GET /_ping (D-22)', () => {
  it('[D-22] [H-07] 200 application/health+json {status: pass, version}, with no headers and no dependency', async () => {
    const app = appWith({ flags: undefined as never, health: [probe('x', () => Promise.reject(new Error('must not be called')))] });
    const response = await app('/_ping');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/health+json');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'pass', version: packageJson.version });
  });

  it('[D-22] is not audited as an FGM interaction', async () => {
    const response = await call('/_ping');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const row = await env.AUDIT_DB.prepare('SELECT * FROM audit_events WHERE request_id = ?1').bind(response.headers.get('X-Request-ID')).first();
    expect(row).toBeNull();
  });

  it('[D-22] other methods → 405 with Allow', async () => {
    const response = await call('/_ping', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD');
  });
});

describe('GET /_status (D-22)', () => {
  it('[D-22] [H-07] checks KV, the Durable Object namespace and the audit store, and passes when all answer', async () => {
    const response = await call('/_status');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/health+json');
    const body = (await response.json()) as { status: string; checks: Record<string, { status: string }[]> };
    expect(body.status).toBe('pass');
    expect(Object.keys(body.checks)).toEqual(['kv:flags', 'durable-object:ledger', 'd1:audit']);
    for (const results of Object.values(body.checks)) expect(results).toEqual([expect.objectContaining({ status: 'pass', observedUnit: 'ms' })]);
  });

  it('[D-22] [H-07] 503 fail when one dependency fails or hangs, naming which, with no internal message', async () => {
    const app = appWith({
      health: [
        probe('kv:flags', async () => {}),
        probe('durable-object:ledger', () => Promise.reject(new Error('internal detail about 9000000009'))),
        probe('d1:audit', () => new Promise(() => {})),
      ],
    });
    const started = Date.now();
    const response = await app('/_status');
    expect(Date.now() - started).toBeLessThan(PROBE_TIMEOUT_MS + 1000);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).not.toContain('9000000009');
    expect(text).not.toContain('internal detail');
    expect(JSON.parse(text)).toMatchObject({
      status: 'fail',
      checks: {
        'kv:flags': [{ status: 'pass' }],
        'durable-object:ledger': [{ status: 'fail', output: 'unavailable' }],
        'd1:audit': [{ status: 'fail', output: 'timeout' }],
      },
    });
  });
});
