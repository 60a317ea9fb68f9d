/**
 * The FHIR R4 channel: `/Flag` (search, add, read, remove) and `/metadata`.
 */
import type { Interaction } from '@fgm-is/rules';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { acceptFhirJson } from '../pipeline/accept.ts';
import { audit } from '../pipeline/audit.ts';
import { authenticate } from '../pipeline/authenticate.ts';
import { authorise } from '../pipeline/authorise.ts';
import { headParameters } from '../pipeline/head-parameters.ts';
import { jsonBody } from '../pipeline/json-body.ts';
import { methodNotAllowed } from '../pipeline/method-not-allowed.ts';
import { answering } from '../pipeline/respond.ts';
import { createFlag } from './create.ts';
import { metadataRoutes } from './metadata.ts';
import { readFlag } from './read.ts';
import { removeFlag } from './remove.ts';
import { searchFlags } from './search.ts';

/**
 * The checks of an FGM interaction, in the order of D-5: head parameters
 * 400 → token 401 → ASID 403 → user 403 → Accept 406. The audit runs
 * around all of them, so refusals are recorded too (D-15); the one
 * `interaction` is handed to each step that needs it.
 */
const guard = (interaction: Interaction) =>
  [audit({ channel: 'r4', interaction }), headParameters(interaction), authenticate(), authorise(interaction), acceptFhirJson()] as const;

/** The Flag routes: search, add, read and remove, and 405 for any other method. */
const flagRoutes = new Hono<AppEnv>()
  .get('/', ...guard('search'), answering(searchFlags))
  .post('/', ...guard('add'), jsonBody(), answering(createFlag))
  .all('/', methodNotAllowed(['GET', 'POST']))
  .get('/:id', ...guard('read'), answering(readFlag))
  .put('/:id', ...guard('remove'), jsonBody(), answering(removeFlag))
  .all('/:id', methodNotAllowed(['GET', 'PUT']));

/** The R4 channel's routes, mounted at the root. */
export const r4Routes = new Hono<AppEnv>().route('/Flag', flagRoutes).route('/metadata', metadataRoutes);
