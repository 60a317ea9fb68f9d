import type { Interaction } from '@fgm-is/rules';
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { acceptFhirJson } from '../../middleware/accept/index.ts';
import { audit } from '../../middleware/audit/index.ts';
import { authenticate } from '../../middleware/authenticate/index.ts';
import { authorise } from '../../middleware/authorise/index.ts';
import { headParameters } from '../../middleware/head-parameters/index.ts';
import { jsonBody } from '../../middleware/json-body/index.ts';
import { methodNotAllowed } from '../../middleware/method-not-allowed/index.ts';
import { createFlag } from './create.ts';
import { readFlag } from './read.ts';
import { removeFlag } from './remove.ts';
import { searchFlags } from './search.ts';

/**
 * Every FGM interaction is audited (D-15), then checked in the order of
 * D-5: head parameters 400 → token 401 → ASID 403 → user 403 → Accept 406.
 */
const guard = (interaction: Interaction) => [audit(), headParameters(interaction), authenticate(), authorise(), acceptFhirJson()] as const;

/** The Flag routes: search, add, read and remove, and 405 for any other method. */
export const flagRoutes = new Hono<AppEnv>()
  .get('/', ...guard('search'), searchFlags)
  .post('/', ...guard('add'), jsonBody(), createFlag)
  .all('/', methodNotAllowed(['GET', 'POST']))
  .get('/:id', ...guard('read'), readFlag)
  .put('/:id', ...guard('remove'), jsonBody(), removeFlag)
  .all('/:id', methodNotAllowed(['GET', 'PUT']));
