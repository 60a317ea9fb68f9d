/**
 * One legacy interaction (L-1 … L-11), in the order of L-11.1: Content-Type
 * → size (413) → XML well-formedness and safety → envelope → receiver ASID →
 * sender ASID and certificate → author (401) → the interaction's own rules,
 * which end in the same R4 decisions (search, Add, Remove) on the same
 * register. Every answer is a message Bundle in XML.
 */
import {
  type EnvelopeFacts,
  type FgmFlag,
  LEGACY_PERMISSION,
  type LegacyEnvelope,
  type LegacyInteraction,
  type LegacyOutcome,
  type LegacyResult,
  type XmlElement,
  authoriseAsid,
  catalogue,
  checkAuthor,
  isLegacyXmlContentType,
  legacyOutcome,
  legacyOutcomeOf,
  londonDate,
  parseEnvelope,
  parseLegacyCreate,
  parseLegacyDelete,
  parseLegacyQuery,
  searchMatch,
} from '@fgm-is/rules';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, EnvWith } from '../app-env.ts';

/** @internal The environment of a legacy endpoint's handler: its route is audited. */
type MessageEnv = EnvWith<AuditVariables>;
import type { AuditSubject } from '../audit/draft.ts';
import { addInputs } from '../pipeline/add-inputs.ts';
import { type AuditVariables, requestAuditDraft } from '../pipeline/audit.ts';
import { failureOutcome, logFailure, orFailure } from '../pipeline/failure.ts';
import { readRequestText } from '../pipeline/request-body.ts';
import { stampedResponse } from '../pipeline/request-context.ts';
import { widen } from '../pipeline/respond.ts';
import { hasValidHost } from '../pipeline/valid-host.ts';
import { LEGACY_CONTENT_TYPE, legacyReply } from './respond.ts';
import { parseXml } from './xml.ts';

/** What an interaction decided: a status, the outcome or the Flag the reply carries, and whom the request concerned. */
interface Decided {
  readonly status: number;
  readonly outcome?: LegacyOutcome | undefined;
  readonly flag?: FgmFlag | undefined;
  /** What the message said and what was found, for its audit record. */
  readonly subject: AuditSubject;
  /** The ledger committed the request's audit record with the change. */
  readonly committed?: boolean;
}

/** @internal A refusal as a decision. */
const refused = (outcome: LegacyOutcome, subject: AuditSubject): Decided => ({ status: outcome.status, outcome, subject });

/** @internal A failure as a decision: logged, and answered through the one map as the legacy row of its catalogue entry (L-8). */
function failed<E extends AppEnv>(c: Context<E>, failure: unknown, subject: AuditSubject): Decided {
  logFailure(c, failure);
  return refused(legacyOutcomeOf(failureOutcome(failure)), subject);
}

/** @internal The message, from the request: Content-Type, size, UTF-8 and XML (L-2, L-11.2, L-11.3). */
async function readMessage(c: Context<MessageEnv>): Promise<LegacyResult<XmlElement>> {
  const refuse = (diagnostics: string) => ({ ok: false, error: legacyOutcome('MESSAGE_NOT_WELL_FORMED', diagnostics) }) as const;
  if (!isLegacyXmlContentType(c.req.header('Content-Type'))) {
    return refuse('Content-Type must be application/xml+fhir, application/fhir+xml, text/xml or application/xml, in UTF-8');
  }
  const read = await readRequestText(c.req.raw);
  if (read.kind === 'too-large') return { ok: false, error: legacyOutcome('BODY_TOO_LARGE', 'Request body too large') };
  if (read.kind === 'broken') return refuse('The request body could not be read to its end');
  if (read.kind === 'not-utf8') return refuse('The body is not valid UTF-8');
  const parsed = parseXml(read.text);
  return parsed.ok ? { ok: true, value: parsed.root } : refuse(parsed.refusal);
}

/** @internal The calling system (L-4): the receiver must be this service; the sender must be allowed the interaction and, where required, present a verified (and, if pinned, the registered) client certificate. */
function checkSystem(c: Context<MessageEnv>, envelope: LegacyEnvelope, interaction: LegacyInteraction): LegacyOutcome | undefined {
  const { policy, legacy } = c.get('services');
  if (envelope.receiverAsid !== policy.serviceAsid) {
    return legacyOutcome('ASID_CHECK_FAILED', "MessageHeader.destination.endpoint is not this service's ASID");
  }
  if (!authoriseAsid(policy, envelope.senderAsid, envelope.receiverAsid, LEGACY_PERMISSION[interaction]).ok) {
    return legacyOutcome('ASID_CHECK_FAILED', 'The sender ASID is not authorised for this interaction');
  }
  if (legacy.enabled && legacy.requireClientCertificate) {
    const certificate = (c.req.raw as Request & { cf?: { tlsClientAuth?: { certVerified?: string; certFingerprintSHA256?: string } } }).cf
      ?.tlsClientAuth;
    if (certificate?.certVerified !== 'SUCCESS') return legacyOutcome('ASID_CHECK_FAILED', 'A verified TLS client certificate is required');
    const pins = Object.hasOwn(legacy.certificatePins, envelope.senderAsid) ? legacy.certificatePins[envelope.senderAsid] : undefined;
    if (pins && !pins.includes((certificate.certFingerprintSHA256 ?? '').toLowerCase())) {
      return legacyOutcome('ASID_CHECK_FAILED', 'The TLS client certificate is not the one registered for the sender ASID');
    }
  }
  return undefined;
}

/** @internal Query (L-5): the patient's current flag, as R4 search finds it. */
async function query(c: Context<MessageEnv>, envelope: LegacyEnvelope, sender: AuditSubject): Promise<Decided> {
  const request = parseLegacyQuery(envelope.focus);
  if (!request.ok) return refused(request.error, sender);
  const subject = { ...sender, nhsNumber: request.value.nhsNumber };
  return orFailure(
    async () => {
      const match = searchMatch(await c.get('services').flags.getActive(request.value.nhsNumber), londonDate(c.get('now')));
      if (!match) return refused(legacyOutcomeOf(catalogue.R1), subject);
      return { status: 200, flag: match, subject: { ...subject, flagId: match.id } };
    },
    (failure) => failed(c, failure, subject),
  );
}

/** @internal Create (L-6): the R4 Add of the same NHS number and assessment date, through the same ledger. */
async function create(c: Context<MessageEnv>, envelope: LegacyEnvelope, sender: AuditSubject): Promise<Decided> {
  const now = c.get('now');
  const request = parseLegacyCreate(envelope.focus, londonDate(now));
  if (!request.ok) return refused(request.error, sender);
  const { request: add, messageBirthDate, gpPractice } = request.value;
  const subject = { ...sender, nhsNumber: add.nhsNumber, messageBirthDate, gpPractice };
  const { patients, flags, writer, newId } = c.get('services');
  return orFailure(
    async () => {
      const inputs = await addInputs(patients, flags, add.nhsNumber, c.get('requestId'));
      const audit = requestAuditDraft(c, subject);
      const decision = await writer.add({ request: add, ...inputs, id: newId(), now: now.toISOString(), audit });
      if (!decision.ok) return refused(legacyOutcomeOf(decision.error), subject);
      return { status: 201, subject: { ...subject, flagId: decision.value.flag.id }, committed: true };
    },
    (failure) => failed(c, failure, subject),
  );
}

/** @internal Delete (L-7): the R4 Remove of the patient's active flag, the reason translated. */
async function remove(c: Context<MessageEnv>, envelope: LegacyEnvelope, sender: AuditSubject): Promise<Decided> {
  const request = parseLegacyDelete(envelope.focus);
  if (!request.ok) return refused(request.error, sender);
  const subject = { ...sender, nhsNumber: request.value.nhsNumber };
  return orFailure(
    async () => {
      const audit = requestAuditDraft(c, subject);
      const decision = await c.get('services').writer.removeActive({ ...request.value, now: c.get('now').toISOString(), audit });
      if (!decision.ok) return refused(legacyOutcomeOf(decision.error), subject);
      return { status: 200, subject: { ...subject, flagId: decision.value.flag.id }, committed: true };
    },
    (failure) => failed(c, failure, subject),
  );
}

const INTERACTIONS = { query, create, delete: remove } as const satisfies Record<LegacyInteraction, unknown>;

/** @internal Everything up to the answer, in the order of L-11.1. */
async function decide(c: Context<MessageEnv>, interaction: LegacyInteraction): Promise<Decided & { readonly facts: EnvelopeFacts }> {
  const message = await readMessage(c);
  if (!message.ok) return { ...refused(message.error, {}), facts: {} };
  const envelope = parseEnvelope(message.value, interaction, c.req.header('SOAPAction') ?? null);
  const { facts } = envelope;
  const sender: AuditSubject = { traceId: facts.messageId, fromAsid: facts.senderEndpoint?.slice(-12) };
  if (!envelope.result.ok) return { ...refused(envelope.result.error, sender), facts };
  const system = checkSystem(c, envelope.result.value, interaction);
  if (system) return { ...refused(system, sender), facts };
  const author = checkAuthor(envelope.result.value, interaction);
  if (!author.ok) return { ...refused(author.error, sender), facts };
  return { ...(await INTERACTIONS[interaction](c, envelope.result.value, { ...sender, user: author.value })), facts };
}

/** The handler of one legacy endpoint: every answer, a dependency's failure (the 503 of L-8) included, a message Bundle. */
export function legacyInteraction(interaction: LegacyInteraction) {
  return async function legacy(c: Context<MessageEnv>): Promise<Response> {
    const decided = await decide(c, interaction);
    return legacyAnswer(c, interaction, decided.facts, decided);
  };
}

/**
 * The last resort of a legacy endpoint: a failure nothing turned into a
 * decision, answered through the one map as a message Bundle (L-8), with no
 * internals. The routes' `onError`.
 */
export function legacyFailure(error: unknown, c: Context<AppEnv>, interaction: LegacyInteraction): Response {
  return legacyAnswer(c, interaction, {}, failed(c, error, {}));
}

/** The message Bundle answering a legacy request, with `answered` set from the same decision (see `Answered`). */
function legacyAnswer<E extends AppEnv>(
  context: Context<E>,
  interaction: LegacyInteraction,
  facts: EnvelopeFacts,
  decided: Decided,
  headers: Readonly<Record<string, string>> = {},
): Response {
  const c = widen(context);
  const { policy, newId } = c.get('services');
  const body = legacyReply({
    interaction,
    facts,
    requestId: c.get('requestId'),
    serviceAsid: policy.serviceAsid,
    now: c.get('now').toISOString(),
    newId,
    outcome: decided.outcome,
    flag: decided.flag,
  });
  c.set('answered', { code: decided.outcome?.code ?? null, subject: decided.subject, committed: decided.committed === true });
  return stampedResponse(c, body, decided.status, { ...headers, 'Content-Type': LEGACY_CONTENT_TYPE });
}

/** Any method but POST on a legacy endpoint (L-2): 405 with `Allow: POST` and a message Bundle. */
export function legacyMethodNotAllowed(interaction: LegacyInteraction) {
  return function methodNotAllowed(c: Context<AppEnv>): Response {
    return legacyAnswer(c, interaction, {}, refused(legacyOutcome('METHOD_NOT_ALLOWED', 'Only POST is supported'), {}), { Allow: 'POST' });
  };
}

/** A legacy endpoint's first check (L-2; RFC 9112 §3.2): a malformed `Host` → 400 MESSAGE_NOT_WELL_FORMED as a message Bundle. */
export function legacyHost(interaction: LegacyInteraction) {
  return createMiddleware<AppEnv>(async function legacyHost(c, next) {
    if (hasValidHost(c.req.raw)) return next();
    return legacyAnswer(c, interaction, {}, refused(legacyOutcome('MESSAGE_NOT_WELL_FORMED', 'The Host header is not a valid host'), {}));
  });
}
