import { buildCapabilityStatement } from '@fgm-is/rules';
import { Hono } from 'hono';
import packageJson from '../../package.json' with { type: 'json' };
import type { AppEnv } from '../app-env.ts';
import { baseUrlOf, fhirJson } from '../http/respond.ts';
import { acceptFhirJson } from '../middleware/accept/index.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed/index.ts';

/** `GET /metadata` (D-12): the CapabilityStatement; no head parameters needed. */
export const metadataRoutes = new Hono<AppEnv>()
  .get('/', acceptFhirJson(), (c) =>
    fhirJson(c, buildCapabilityStatement({ baseUrl: baseUrlOf(c), date: c.get('now').toISOString(), version: packageJson.version }), 200),
  )
  .all('/', methodNotAllowed(['GET']));
