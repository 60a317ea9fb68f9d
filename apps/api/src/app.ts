import { catalogue } from '@fgm-is/rules';
import { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { sendOutcome } from './http/respond.ts';
import { corsWhenConfigured } from './middleware/cors/index.ts';
import { errorHandler } from './middleware/error-handler/index.ts';
import { fhirResponse } from './middleware/fhir-response/index.ts';
import { services } from './middleware/services/index.ts';
import { flagRoutes } from './routes/flag/index.ts';
import { metadataRoutes } from './routes/metadata.ts';
import { type Services, servicesFromEnv } from './services.ts';

/**
 * Builds the FGM-IS API.
 *
 * @param resolveServices How a request gets its stores, directory, verifier,
 *   clock and ids; the Worker uses {@link servicesFromEnv}, tests their own.
 */
export function createApp(resolveServices: (env: Env) => Services = servicesFromEnv) {
  return new Hono<AppEnv>()
    .use(fhirResponse())
    .use(services(resolveServices))
    .use(corsWhenConfigured())
    .route('/Flag', flagRoutes)
    .route('/metadata', metadataRoutes)
    .notFound((c) => sendOutcome(c, catalogue.UNKNOWN_PATH))
    .onError(errorHandler());
}
