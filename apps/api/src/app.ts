/**
 * The Hono app: the middleware every request passes through, the channels
 * mounted behind it, and the answers for unknown paths and failures.
 */
import { catalogue } from '@fgm-is/rules';
import { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { type Services, servicesFromEnv } from './compose.ts';
import { docsRoutes } from './docs-forward.ts';
import { healthRoutes } from './health/routes.ts';
import { legacyRoutes } from './legacy/index.ts';
import { corsWhenConfigured } from './pipeline/cors.ts';
import { errorHandler } from './pipeline/error-handler.ts';
import { type RequestContextOptions, requestContext } from './pipeline/request-context.ts';
import { requestLog } from './pipeline/request-log.ts';
import { sendOutcome } from './pipeline/respond.ts';
import { services } from './pipeline/services.ts';
import { unreadBody } from './pipeline/unread-body.ts';
import { validHost } from './pipeline/valid-host.ts';
import { r4Routes } from './r4/index.ts';

/** What the app is built from; every part has a production default. */
export interface AppOptions extends RequestContextOptions {
  /** How a request gets its stores, directory, verifier and ids: {@link servicesFromEnv} in the Worker, tests their own. */
  readonly services?: (env: Env) => Services;
}

/**
 * Builds the FGM-IS API. Every request: request id and clock → (after the
 * response) a request log line → (after the response) unread body discarded →
 * services → a malformed host refused → CORS (only where configured) → a channel.
 */
export function createApp(options: AppOptions = {}) {
  return new Hono<AppEnv>()
    .use(requestContext(options))
    .use(requestLog())
    .use(unreadBody())
    .use(services(options.services ?? servicesFromEnv))
    .use(validHost())
    .use(corsWhenConfigured())
    .route('/', healthRoutes)
    .route('/', r4Routes)
    .route('/', legacyRoutes)
    .route('/', docsRoutes)
    .notFound((c) => sendOutcome(c, catalogue.UNKNOWN_PATH))
    .onError(errorHandler());
}
