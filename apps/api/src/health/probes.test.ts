import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { d1Probe, kvProbe } from './probes.ts';

describe('[H-07] health probes (D-22)', () => {
  it('KV and D1 answer, and the probes read no data', async () => {
    await expect(kvProbe('kv:flags', env.FLAGS).probe()).resolves.toBeUndefined();
    await expect(d1Probe('d1:audit', env.AUDIT_DB).probe()).resolves.toBeUndefined();
    expect((await env.FLAGS.list()).keys).toEqual([]);
  });

  it('reject when the binding fails', async () => {
    const kv = { get: () => Promise.reject(new Error('down')) } as unknown as KVNamespace;
    const db = { prepare: () => ({ first: () => Promise.reject(new Error('down')) }) } as unknown as D1Database;
    await expect(kvProbe('kv:flags', kv).probe()).rejects.toThrow('down');
    await expect(d1Probe('d1:audit', db).probe()).rejects.toThrow('down');
  });
});
