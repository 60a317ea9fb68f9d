/**
 * The Hono environment every request starts with: the Worker's bindings and
 * the values the app's first steps set for everything after them. A step
 * that sets more declares it in its own type (`HeadVariables`,
 * `UserVariables`, `BodyVariables`, `AuditVariables`), and a handler names
 * the variables it reads (`EnvWith<…>`), so nothing re-checks them at run
 * time. What the types cannot prove is that a route lists the step before
 * the handler: each channel builds its routes from one guard (`r4/index.ts`,
 * `legacy/index.ts`), and a missing step would be a wiring fault, answered
 * 500 through the one failure map. Read them with `c.get(name)`: Hono's
 * `c.var` builds a new object of every variable on each access.
 */
import type { Services } from './compose.ts';
import type { Answered } from './pipeline/answered.ts';

/** What every request carries, set by the app's first steps (`requestContext`, `services`) and the responders. */
interface AppVariables {
  /** The X-Request-ID of this request (set first, by `requestContext`). */
  requestId: string;
  /** The instant the request arrived, from the injected clock (set first, by `requestContext`). */
  now: Date;
  /** The headers every response to this request carries (set first, by `requestContext`; see `stampedResponse`). */
  stamp: Readonly<Record<string, string>>;
  /** Stores, directory, verifier, policy and ids for this request (set by `services`). */
  services: Services;
  /** What the request was answered with, set by the responder that made the response: R4's `respond`, messaging's `legacyAnswer` (absent for health, docs and Hono's own responses, which are not audited). */
  answered?: Answered;
}

/** The Hono environment of the API. */
export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}

/** The environment of a step or handler that needs the variables `V` set by the steps before it. */
export interface EnvWith<V extends object> {
  Bindings: Env;
  Variables: AppVariables & V;
}
