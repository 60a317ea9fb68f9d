/**
 * The real wiring from the test env with parts swapped, and an app over it.
 */
import { env } from 'cloudflare:workers';
import { type AppOptions, createApp } from '../../src/app.ts';
import { type Services, servicesFromEnv } from '../../src/compose.ts';
import { localFlagWriter, memoryFlagLocator } from '../../src/register/local-flag-writer.ts';
import { checkResponse } from './contract.ts';

/**
 * The real services with overrides. A swapped flag store gets the
 * in-isolate ledger writer over it (the same ledger code the Durable Object
 * runs, shipping its committed audit records to the audit sink in use)
 * unless a writer is swapped too.
 */
export function servicesWith(overrides: Partial<Services>): Services {
  const base = servicesFromEnv(env);
  const audit = overrides.audit ?? base.audit;
  const writer =
    overrides.writer ?? (overrides.flags ? localFlagWriter(overrides.flags, memoryFlagLocator(), (record) => audit.record(record)) : base.writer);
  return { ...base, ...overrides, audit, writer };
}

/**
 * An app over the test env with swapped services, built once (and optionally a clock),
 * called through `app.request`; every response is checked against the
 * OpenAPI document (`./contract.ts`).
 */
export function appWith(overrides: Partial<Services>, options: Omit<AppOptions, 'services'> = {}) {
  // One set of services for the app's life, as a Worker isolate keeps them: a swapped-in writer keeps its ledgers' state between requests.
  const services = servicesWith(overrides);
  const app = createApp({ ...options, services: () => services });
  return async (path: string, init: RequestInit = {}) => {
    const response = await app.request(`https://fgm.test${path}`, init, env);
    await checkResponse(init.method ?? 'GET', `https://fgm.test${path}`, response);
    return response;
  };
}
