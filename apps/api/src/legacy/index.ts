/**
 * The legacy Spine messaging channel (L-1 … L-11): `POST /fhir/fgm/query`,
 * `/create` and `/delete`, FHIR DSTU2 message Bundles in XML, on the same
 * register as the R4 API.
 */
import { LEGACY_INTERACTIONS, type LegacyInteraction, catalogue } from '@fgm-is/rules';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import { audit } from '../pipeline/audit.ts';
import { sendOutcome } from '../pipeline/respond.ts';
import { refusesMalformedHost } from '../pipeline/valid-host.ts';
import { legacyFailure, legacyHost, legacyInteraction, legacyMethodNotAllowed } from './handler.ts';

/** The exact paths of the legacy endpoints (L-11.4); anything else, a trailing slash included, is the R4 404. */
const LEGACY_PATHS = { query: '/fhir/fgm/query', create: '/fhir/fgm/create', delete: '/fhir/fgm/delete' } as const;

/** @internal Which interaction each legacy path serves. */
const INTERACTION_AT: Readonly<Record<string, LegacyInteraction>> = Object.fromEntries(
  LEGACY_INTERACTIONS.map((interaction) => [LEGACY_PATHS[interaction], interaction]),
);

/** Switched off by configuration (`LEGACY_MESSAGING = "off"`), the endpoints 404 like any unknown path (L-4). */
const legacyEnabled = createMiddleware<AppEnv>(async function legacyEnabled(c, next) {
  if (!c.get('services').legacy.enabled) return sendOutcome(c, catalogue.UNKNOWN_PATH);
  await next();
});

/** A malformed `Host` on an endpoint that is switched on is refused there, as a message Bundle, under the audit. */
const hostChecked = (interaction: LegacyInteraction) => refusesMalformedHost(legacyHost(interaction), (c) => c.get('services').legacy.enabled);

/**
 * The legacy channel's routes: each endpoint audited (L-9, L-11.10), its host checked, POST served, every other method
 * 405; a failure nothing decided is answered by the channel's own `onError`, as a message Bundle (L-8).
 */
export const legacyRoutes = LEGACY_INTERACTIONS.reduce(
  (routes, interaction) =>
    routes
      .post(
        LEGACY_PATHS[interaction],
        legacyEnabled,
        audit({ channel: 'messaging', interaction }),
        hostChecked(interaction),
        legacyInteraction(interaction),
      )
      .all(
        LEGACY_PATHS[interaction],
        legacyEnabled,
        audit({ channel: 'messaging', interaction }),
        hostChecked(interaction),
        legacyMethodNotAllowed(interaction),
      ),
  new Hono<AppEnv>(),
).onError((error, c) => legacyFailure(error, c, INTERACTION_AT[c.req.path] ?? 'query'));
