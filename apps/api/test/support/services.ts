import { env } from 'cloudflare:test';
import { createApp } from '../../src/app.ts';
import { type Services, servicesFromEnv } from '../../src/services.ts';

/** The real wiring from the test env, with parts swapped. */
export function servicesWith(overrides: Partial<Services>): Services {
  return { ...servicesFromEnv(env), ...overrides };
}

/** An app over the test env with swapped services, called through `app.request`. */
export function appWith(overrides: Partial<Services>) {
  const app = createApp(() => servicesWith(overrides));
  return (path: string, init: RequestInit = {}) => app.request(`https://fgm.test${path}`, init, env);
}

/** A fixed clock. */
export const at = (iso: string) => () => new Date(iso);
