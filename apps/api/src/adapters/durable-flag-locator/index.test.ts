import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../../ports/errors.ts';
import { durableFlagLocator } from './index.ts';

describe('Durable Object flag locator (D-26)', () => {
  it('[H-05] answers whose flag an id is, as soon as it is recorded, and null for an id never recorded', async () => {
    const locator = durableFlagLocator(env.FLAG_LOCATOR);
    expect(await locator.owner('f-1')).toBeNull();
    await locator.record('f-1', '9000000017');
    expect(await locator.owner('f-1')).toBe('9000000017');
    await locator.record('f-1', '9000000017');
    expect(await locator.owner('f-1')).toBe('9000000017');
  });

  it('[H-02] never moves a flag to another patient', async () => {
    const locator = durableFlagLocator(env.FLAG_LOCATOR);
    await locator.record('f-2', '9000000017');
    await expect(locator.record('f-2', '9000000025')).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(await locator.owner('f-2')).toBe('9000000017');
  });
});
