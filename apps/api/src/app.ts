/**
 * The Hono app: the middleware every request passes through, the channels
 * mounted behind it, and the answers for unknown paths and failures.
 */
import { catalogue } from '@fgm-is/rules';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env.ts';
import { docsRoutes } from './channels/docs/index.ts';
import { healthRoutes } from './health/routes.ts';
import { legacyRoutes } from './legacy/index.ts';
import { r4Routes } from './r4/index.ts';
import { sendOutcome } from './pipeline/respond.ts';
import { corsWhenConfigured } from './pipeline/cors.ts';
import { errorHandler } from './pipeline/error-handler.ts';
import { type RequestContextOptions, requestContext } from './pipeline/request-context.ts';
import { requestLog } from './pipeline/request-log.ts';
import { services } from './pipeline/services.ts';
import { unreadBody } from './pipeline/unread-body.ts';
import { validHost } from './pipeline/valid-host.ts';
import { type Services, servicesFromEnv } from './compose.ts';

/** What the app is built from; every part has a production default. */
export interface AppOptions extends RequestContextOptions {
  /** How a request gets its stores, directory, verifier and ids: {@link servicesFromEnv} in the Worker, tests their own. */
  readonly services?: (env: Env) => Services;
}

/**
 * Builds the FGM-IS API. Every request: request id and clock → (after the
 * response) a request log line → (after the response) unread body discarded → `X-Content-Type-Options: nosniff` →
 * services → a malformed host refused → CORS (only where configured) → a channel.
 */
export function createApp(options: AppOptions = {}) {
  return new Hono<AppEnv>()
    .use(requestContext(options))
    .use(requestLog())
    .use(unreadBody())
    .use(secureHeaders({ ...SECURITY_HEADERS }))
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

/**
 * The security headers of every response: `X-Content-Type-Options: nosniff`
 * (D-12). The rest of Hono's defaults (HSTS, framing, cross-origin policies)
 * are left to the platform in front of the Worker.
 */
const SECURITY_HEADERS = {
  xContentTypeOptions: true,
  referrerPolicy: false,
  xFrameOptions: false,
  strictTransportSecurity: false,
  crossOriginResourcePolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} as const;
