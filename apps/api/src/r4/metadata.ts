/**
 * `GET /metadata` (D-12): the CapabilityStatement; no head parameters needed.
 */
import { buildCapabilityStatement } from '@fgm-is/rules';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { acceptFhirJson } from '../pipeline/accept.ts';
import { methodNotAllowed } from '../pipeline/method-not-allowed.ts';
import { answering, baseUrlOf } from '../pipeline/respond.ts';
import { RELEASE } from '../release.ts';

/** The CapabilityStatement route, dated with this release and truthful about CORS. */
export const metadataRoutes = new Hono<AppEnv>()
  .get(
    '/',
    acceptFhirJson(),
    answering((c) => ({
      resource: buildCapabilityStatement({
        baseUrl: baseUrlOf(c),
        date: RELEASE.date,
        version: RELEASE.version,
        cors: c.get('services').corsOrigins.length > 0,
      }),
    })),
  )
  .all('/', methodNotAllowed(['GET']));
