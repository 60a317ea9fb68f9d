/**
 * The Hono environment of the API: the Worker's bindings and the values
 * each request carries from one step to the next. Data flows one way:
 * each value is set by one middleware and read only by those after it.
 */
import type { AccessTokenClaims, HeadParameters } from '@fgm-is/rules';
import type { Services } from './compose.ts';

/** What a handler learns about the request that its audit record needs (D-15, L-9). */
export interface AuditNote {
  /** The patient the request concerns, once known. */
  readonly nhsNumber?: string | undefined;
  /** The flag the request concerns, once known. */
  readonly flagId?: string | undefined;
  /** Legacy messaging only: the request MessageHeader id, which stands for the TraceID (L-9). */
  readonly traceId?: string | undefined;
  /** Legacy messaging only: the sender ASID of the MessageHeader. */
  readonly fromAsid?: string | undefined;
  /** Legacy messaging only: the user the accredited system vouches for (SDS user and role ids, ODS code). */
  readonly user?: { readonly sub?: string | undefined; readonly role?: string | undefined; readonly org?: string | undefined } | undefined;
  /** Legacy create only: the message's birthDate and GP practice code, recorded, never trusted (L-6). */
  readonly messageBirthDate?: string | undefined;
  readonly gpPractice?: string | undefined;
  /** The ledger committed this request's record with the change it made (its outbox): the middleware records nothing more. */
  readonly recordedWithChange?: boolean | undefined;
}

/** Per-request values, in the order the middleware chain sets them. */
export interface AppVariables {
  /** The X-Request-ID of this request (set first, by `requestContext`). */
  requestId: string;
  /** The instant the request arrived, from the injected clock (set first, by `requestContext`). */
  now: Date;
  /** Stores, directory, verifier, policy and ids for this request (set by `services`). */
  services: Services;
  /** Well-formed head parameters (D-3); set on FGM interactions by `headParameters`. */
  head?: HeadParameters;
  /** Verified token claims (D-5); set by `authenticate` once the token verified. */
  user?: AccessTokenClaims;
  /** The parsed JSON request body; set on POST and PUT by `jsonBody`. */
  body?: unknown;
  /** The patient and flag a handler found the request to concern; read by `audit`. */
  auditNote?: AuditNote;
}

/** The Hono environment of the API. */
export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
