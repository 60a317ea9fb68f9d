/**
 * FHIR JSON answers (D-1, D-12): a handler or a check decides an
 * {@link R4Answer}, and {@link respond} turns it into the response, once,
 * recording what was decided (`answered`) for the request log and the audit
 * record.
 */
import {
  type CatalogueEntry,
  FHIR_JSON_CONTENT_TYPE,
  type FgmFlag,
  type InformationalKind,
  httpDate,
  informationalOutcome,
  parsePreferReturn,
  toOperationOutcome,
  weakEtag,
} from '@fgm-is/rules';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { AuditSubject } from '../audit/draft.ts';
import { failureOutcome, logFailure } from './failure.ts';
import { stampedResponse } from './request-context.ts';

/** Extra response headers. */
type Headers = Readonly<Record<string, string>>;

/**
 * What an R4 handler or check decided, as data: an error from the
 * catalogue; a resource to return; or a Flag the ledger wrote (with its
 * audit record, committed with it). Each may say whom the request
 * concerned, for its audit record.
 */
export type R4Answer =
  | { readonly outcome: CatalogueEntry; readonly headers?: Headers; readonly subject?: AuditSubject }
  /** A failure: logged, and answered through the one map (`failureOutcome`), never with its own message. */
  | { readonly failure: unknown; readonly subject?: AuditSubject }
  | { readonly resource: object; readonly headers?: Headers; readonly subject?: AuditSubject }
  | {
      readonly written: FgmFlag;
      readonly status: 200 | 201;
      /** The informational OperationOutcome `Prefer: return=OperationOutcome` gets. */
      readonly kind: InformationalKind;
      readonly headers?: Headers;
      readonly subject: AuditSubject;
    };

/**
 * The context as the app's own: a step's context has the app's variables and more. (Hono's `Context` is
 * invariant in its environment only through `set`, which nothing here calls with a step's own variables.)
 */
export function widen<E extends AppEnv>(c: Context<E>): Context<AppEnv> {
  return c as unknown as Context<AppEnv>;
}

/** @internal Sends FHIR JSON as `application/fhir+json; charset=utf-8`. */
function fhirJson(c: Context<AppEnv>, resource: unknown, status: 200 | 201 | CatalogueEntry['status'], headers: Headers): Response {
  return stampedResponse(c, JSON.stringify(resource), status, { ...headers, 'Content-Type': FHIR_JSON_CONTENT_TYPE });
}

/** @internal A fresh id for an OperationOutcome, even when the services could not be resolved. */
function outcomeId(c: Context<AppEnv>): string {
  return c.get('services')?.newId() ?? crypto.randomUUID();
}

/**
 * The response of an answer, with `answered` set from the same value: an
 * error as its OperationOutcome with its catalogue status; a resource as
 * 200; a written Flag as the client's `Prefer: return=` asks (the Flag, by
 * default; nothing; or an informational OperationOutcome), always with ETag
 * and Last-Modified.
 */
export function respond<E extends AppEnv>(context: Context<E>, answer: R4Answer): Response {
  const c = widen(context);
  const subject = answer.subject ?? {};
  if ('failure' in answer) {
    logFailure(c, answer.failure);
    return respond(c, { outcome: failureOutcome(answer.failure), subject });
  }
  if ('outcome' in answer) {
    const { outcome } = answer;
    c.set('answered', { code: outcome.details, subject, committed: false });
    return fhirJson(c, toOperationOutcome(outcome, outcomeId(c)), outcome.status, answer.headers ?? {});
  }
  if ('resource' in answer) {
    c.set('answered', { code: null, subject, committed: false });
    return fhirJson(c, answer.resource, 200, answer.headers ?? {});
  }
  const { written: flag, status } = answer;
  c.set('answered', { code: null, subject, committed: true });
  const headers = { ...answer.headers, ETag: weakEtag(flag.meta.versionId), 'Last-Modified': httpDate(flag.meta.lastUpdated) };
  switch (parsePreferReturn(c.req.header('Prefer'))) {
    case 'minimal':
      return stampedResponse(c, null, status, headers);
    case 'OperationOutcome':
      return fhirJson(c, informationalOutcome(answer.kind, flag.id, outcomeId(c)), status, headers);
    default:
      return fhirJson(c, flag, status, headers);
  }
}

/** Sends a catalogue entry as its OperationOutcome with its HTTP status: `respond` for a check that refuses. */
export function sendOutcome<E extends AppEnv>(c: Context<E>, entry: CatalogueEntry, headers: Headers = {}): Response {
  return respond(c, { outcome: entry, headers });
}

/** A handler that decides an answer; {@link answering} makes it a Hono handler. */
export type AnswerHandler<E extends AppEnv = AppEnv> = (c: Context<E>) => R4Answer | Promise<R4Answer>;

/** The Hono handler of an answer handler: the edge where the decision becomes HTTP. */
export function answering<E extends AppEnv>(handler: AnswerHandler<E>) {
  return async (c: Context<E>): Promise<Response> => respond(c, await handler(c));
}

/** The base URL for Location, fullUrl and self links; `url`, the request's URL when the caller has parsed it already. */
export function baseUrlOf<E extends AppEnv>(c: Context<E>, url?: URL): string {
  return widen(c).get('services').publicBaseUrl ?? (url ?? new URL(c.req.url)).origin;
}
