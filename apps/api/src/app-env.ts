import type { AccessTokenClaims, HeadParameters, Interaction } from '@fgm-is/rules';
import type { Services } from './services.ts';

/** Per-request values the middleware chain sets for the handlers. */
export interface AppVariables {
  /** Stores, directory, verifier, policy, clock and ids for this request. */
  services: Services;
  /** The X-Request-ID generated for this request. */
  requestId: string;
  /** The instant the request arrived (from the injected clock). */
  now: Date;
  /** Which FGM interaction the route serves. */
  interaction: Interaction;
  /** Well-formed head parameters (D-3). */
  head: HeadParameters;
  /** Verified token claims (D-5). */
  user: AccessTokenClaims;
  /** The parsed JSON request body (POST/PUT). */
  body: unknown;
  /** The patient and flag this request concerns, once known (for the audit record). */
  auditSubject: { nhsNumber?: string; flagId?: string };
  /** The Spine details code of the OperationOutcome sent, if any (for the audit record). */
  outcomeCode: string;
}

/** The Hono environment of the API. */
export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
