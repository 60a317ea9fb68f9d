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
import type { AppEnv } from '../app-env.ts';
import { addInputs } from '../pipeline/add-inputs.ts';
import { auditDraft } from '../audit/draft.ts';
import { logFailure } from '../pipeline/logging.ts';
import { readRequestText } from '../pipeline/request-body.ts';
import { noteAudit } from '../pipeline/respond.ts';
import { hasValidHost } from '../pipeline/valid-host.ts';
import { DependencyUnavailableError } from '../ports/errors.ts';
import { LEGACY_CONTENT_TYPE, legacyReply } from './respond.ts';
import { parseXml } from './xml.ts';

/** What an interaction decided: a status, and the outcome or the Flag the reply carries. */
interface Decided {
  readonly status: number;
  readonly outcome?: LegacyOutcome | undefined;
  readonly flag?: FgmFlag | undefined;
}

/** @internal A refusal as a decision. */
const refused = (outcome: LegacyOutcome): Decided => ({ status: outcome.status, outcome });

/** @internal The message, from the request: Content-Type, size, UTF-8 and XML (L-2, L-11.2, L-11.3). */
async function readMessage(c: Context<AppEnv>): Promise<LegacyResult<XmlElement>> {
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
function checkSystem(c: Context<AppEnv>, envelope: LegacyEnvelope, interaction: LegacyInteraction): LegacyOutcome | undefined {
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
async function query(c: Context<AppEnv>, envelope: LegacyEnvelope): Promise<Decided> {
  const request = parseLegacyQuery(envelope.focus);
  if (!request.ok) return refused(request.error);
  noteAudit(c, { nhsNumber: request.value.nhsNumber });
  const match = searchMatch(await c.get('services').flags.getActive(request.value.nhsNumber), londonDate(c.get('now')));
  if (!match) return refused(legacyOutcomeOf(catalogue.R1));
  noteAudit(c, { flagId: match.id });
  return { status: 200, flag: match };
}

/** @internal Create (L-6): the R4 Add of the same NHS number and assessment date, through the same ledger. */
async function create(c: Context<AppEnv>, envelope: LegacyEnvelope): Promise<Decided> {
  const now = c.get('now');
  const request = parseLegacyCreate(envelope.focus, londonDate(now));
  if (!request.ok) return refused(request.error);
  const { request: add, messageBirthDate, gpPractice } = request.value;
  noteAudit(c, { nhsNumber: add.nhsNumber, messageBirthDate, gpPractice });
  const { patients, flags, writer, newId } = c.get('services');
  const inputs = await addInputs(patients, flags, add.nhsNumber);
  const audit = auditDraft(c, { channel: 'messaging', interaction: 'create' });
  const decision = await writer.add({ request: add, ...inputs, id: newId(), now: now.toISOString(), audit });
  if (!decision.ok) return refused(legacyOutcomeOf(decision.error));
  noteAudit(c, { flagId: decision.value.flag.id, recordedWithChange: true });
  return { status: 201 };
}

/** @internal Delete (L-7): the R4 Remove of the patient's active flag, the reason translated. */
async function remove(c: Context<AppEnv>, envelope: LegacyEnvelope): Promise<Decided> {
  const request = parseLegacyDelete(envelope.focus);
  if (!request.ok) return refused(request.error);
  noteAudit(c, { nhsNumber: request.value.nhsNumber });
  const audit = auditDraft(c, { channel: 'messaging', interaction: 'delete' });
  const decision = await c.get('services').writer.removeActive({ ...request.value, now: c.get('now').toISOString(), audit });
  if (!decision.ok) return refused(legacyOutcomeOf(decision.error));
  noteAudit(c, { flagId: decision.value.flag.id, recordedWithChange: true });
  return { status: 200 };
}

const INTERACTIONS = { query, create, delete: remove } as const satisfies Record<LegacyInteraction, unknown>;

/** @internal Everything up to the answer, in the order of L-11.1. */
async function decide(c: Context<AppEnv>, interaction: LegacyInteraction, facts: (found: EnvelopeFacts) => void): Promise<Decided> {
  const message = await readMessage(c);
  if (!message.ok) return refused(message.error);
  const envelope = parseEnvelope(message.value, interaction, c.req.header('SOAPAction') ?? null);
  facts(envelope.facts);
  noteAudit(c, { traceId: envelope.facts.messageId, fromAsid: envelope.facts.senderEndpoint?.slice(-12) });
  if (!envelope.result.ok) return refused(envelope.result.error);
  const system = checkSystem(c, envelope.result.value, interaction);
  if (system) return refused(system);
  const author = checkAuthor(envelope.result.value, interaction);
  if (author.ok) noteAudit(c, { user: author.value });
  if (!author.ok) return refused(author.error);
  return INTERACTIONS[interaction](c, envelope.result.value);
}

/** The handler of one legacy endpoint. A failure of a dependency is the 503 of L-8, anything else the 500, both as message Bundles. */
export function legacyInteraction(interaction: LegacyInteraction) {
  return async function legacy(c: Context<AppEnv>): Promise<Response> {
    let facts: EnvelopeFacts = {};
    let decided: Decided;
    try {
      decided = await decide(c, interaction, (found) => {
        facts = found;
      });
    } catch (error) {
      const unavailable = error instanceof DependencyUnavailableError;
      logFailure(c, error);
      decided = refused(legacyOutcomeOf(unavailable ? catalogue.SERVICE_UNAVAILABLE : catalogue.INTERNAL_ERROR));
    }
    return legacyAnswer(c, interaction, facts, decided);
  };
}

/** The message Bundle answering a legacy request. */
function legacyAnswer(c: Context<AppEnv>, interaction: LegacyInteraction, facts: EnvelopeFacts, decided: Decided): Response {
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
  return c.body(body, decided.status as 200, { 'Content-Type': LEGACY_CONTENT_TYPE });
}

/** Any method but POST on a legacy endpoint (L-2): 405 with `Allow: POST` and a message Bundle. */
export function legacyMethodNotAllowed(interaction: LegacyInteraction) {
  return function methodNotAllowed(c: Context<AppEnv>): Response {
    c.header('Allow', 'POST');
    return legacyAnswer(c, interaction, {}, refused(legacyOutcome('METHOD_NOT_ALLOWED', 'Only POST is supported')));
  };
}

/** A legacy endpoint's first check (L-2; RFC 9112 §3.2): a malformed `Host` → 400 MESSAGE_NOT_WELL_FORMED as a message Bundle. */
export function legacyHost(interaction: LegacyInteraction) {
  return createMiddleware<AppEnv>(async function legacyHost(c, next) {
    if (hasValidHost(c.req.raw)) return next();
    return legacyAnswer(c, interaction, {}, refused(legacyOutcome('MESSAGE_NOT_WELL_FORMED', 'The Host header is not a valid host')));
  });
}
