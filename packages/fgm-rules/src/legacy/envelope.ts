/**
 * The message envelope (L-3, L-4, L-11.1, L-11.5, L-11.6): a `message`
 * Bundle whose first entry is a MessageHeader naming an event of the
 * endpoint it was posted to, its sender and receiver, its focus and (for
 * create and delete) its author, each resolving to an entry of the Bundle.
 */
import { type LegacyInteraction, type LegacyOutcome, legacyOutcome } from './catalogue.ts';
import { type XmlElement, childValue, childrenNamed, onlyChild, valueAt, wrappedResource } from './message.ts';

/** The result of a legacy rule: expected failures are values. */
export type LegacyResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: LegacyOutcome };

const EVENT_PREFIX = 'urn:nhs:names:services:clinicals-sync:';
const ASID_ENDPOINT = /^urn:nhs:addressing:asid:([0-9]{12})$/;
/** The most characters (Unicode code points) a MessageHeader id may have (L-11.5). */
const MAX_MESSAGE_ID_CHARACTERS = 64;

/**
 * The one rule for a request MessageHeader id (L-11.5, L-9): whether it is
 * accepted, and what the audit trail records as its TraceID (and the reply
 * echoes as `response.identifier`). Whatever is accepted is recorded; what
 * could not be recorded is refused, never recorded as empty.
 *
 * Accepted: 1 to 64 characters, counted as Unicode code points (an emoji is
 * one character, though two UTF-16 units), none of them a control character
 * (C0 U+0000–U+001F, DEL U+007F, C1 U+0080–U+009F), half of a surrogate pair
 * (not a character: it cannot be stored as UTF-8) or U+FFFE/U+FFFF (not
 * characters XML 1.0 can carry, so not echoable). Spaces, line and paragraph
 * separators and any other character are kept. Every accepted id is
 * well-formed Unicode that the audit store and an XML reply hold as is, so it
 * is recorded exactly as sent: no escaping is needed, and the same id is
 * always recorded the same way.
 *
 * @param id The MessageHeader `id` value, or `undefined` when it has none.
 * @returns the TraceID to record (the id itself), or `undefined` when L-11.5
 *   refuses the id (400 MESSAGE_NOT_WELL_FORMED, audited with an empty TraceID).
 */
export function messageTraceId(id: string | undefined): string | undefined {
  // More than two UTF-16 units a character cannot be 64 characters: refused before any scan.
  if (id === undefined || id.length === 0 || id.length > 2 * MAX_MESSAGE_ID_CHARACTERS) return undefined;
  let characters = 0;
  for (const character of id) {
    const code = character.codePointAt(0) ?? 0;
    characters++;
    if (characters > MAX_MESSAGE_ID_CHARACTERS) return undefined;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return undefined;
    if ((code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) return undefined;
  }
  return id;
}

/** The request events each endpoint accepts (L§1), with the response event and its event system. */
export const LEGACY_EVENTS = {
  query: {
    FGMQuery_2_0: { response: 'FGMQueryResponse_2_0', system: 'http://fhir.nhs.net/ValueSet/message-event-2-0' },
    FGMQuery_1_0: { response: 'FGMQueryResponse_1_0', system: 'http://fhir.nhs.net/ValueSet/message-event-1-0' },
  },
  create: { FGMCreate_1_0: { response: 'FGMCreateResponse_1_0', system: 'http://fhir.nhs.net/ValueSet/message-event-2-0' } },
  delete: { FGMDelete_1_0: { response: 'FGMDeleteResponse_1_0', system: 'http://fhir.nhs.net/ValueSet/message-event-2-0' } },
} as const satisfies Record<LegacyInteraction, Record<string, { response: string; system: string }>>;

/** The full URN of an event name (`FGMQuery_2_0` → `urn:nhs:names:services:clinicals-sync:FGMQuery_2_0`). */
export function eventUrn(name: string): string {
  return `${EVENT_PREFIX}${name}`;
}

/** @internal The endpoint's entry for an event URN, if it is one of the endpoint's events. */
function endpointEvent(interaction: LegacyInteraction, urn: string | undefined): { response: string; system: string } | undefined {
  const events: Record<string, { response: string; system: string }> = LEGACY_EVENTS[interaction];
  const name = urn?.startsWith(EVENT_PREFIX) ? urn.slice(EVENT_PREFIX.length) : undefined;
  return name !== undefined && Object.hasOwn(events, name) ? events[name] : undefined;
}

/** The response event (URN and system) for a request event, or the endpoint's default when the request's could not be read (L-11.8). */
export function responseEvent(interaction: LegacyInteraction, requestEvent: string | undefined): { code: string; system: string } {
  const chosen = endpointEvent(interaction, requestEvent) ?? Object.values(LEGACY_EVENTS[interaction])[0];
  return { code: eventUrn(chosen?.response ?? ''), system: chosen?.system ?? '' };
}

/** What could be read of a message's header, even when it was refused: for the response's `response.identifier`, `destination` and event (L-8, L-11.8). */
export interface EnvelopeFacts {
  /** The request MessageHeader id, when L-11.5 accepts it: as {@link messageTraceId} records it. */
  readonly messageId?: string | undefined;
  /** The sender's ASID endpoint, when well formed. */
  readonly senderEndpoint?: string | undefined;
  /** The request event URN, when it is one this endpoint serves. */
  readonly requestEvent?: string | undefined;
}

/** A well-formed envelope. */
export interface LegacyEnvelope {
  readonly messageId: string;
  readonly requestEvent: string;
  readonly senderEndpoint: string;
  /** The sender's ASID (from `source.endpoint`). */
  readonly senderAsid: string;
  /** The receiver's ASID (from `destination.endpoint`). */
  readonly receiverAsid: string;
  /** The resource `data.reference` names: Parameters (query, delete) or Flag (create). */
  readonly focus: XmlElement;
  /** The Practitioner `author.reference` names, when it resolves. */
  readonly author: XmlElement | undefined;
  /** Every resource of the Bundle, in order (the MessageHeader first). */
  readonly resources: readonly XmlElement[];
}

/** @internal The resources of a Bundle, entry by entry (`undefined` where an entry holds no single resource). */
function entryResources(bundle: XmlElement): (XmlElement | undefined)[] {
  return childrenNamed(bundle, 'entry').map((entry) => wrappedResource(onlyChild(entry, 'resource')));
}

/**
 * Resolves a relative reference (`Parameters/{id}`) to the Bundle entry holding that resource.
 *
 * @internal
 */
function resolveReference(resources: readonly (XmlElement | undefined)[], reference: string | undefined): XmlElement | undefined {
  if (reference === undefined) return undefined;
  const slash = reference.indexOf('/');
  if (slash <= 0) return undefined;
  const type = reference.slice(0, slash);
  const id = reference.slice(slash + 1);
  const found = resources.filter((resource) => resource?.name === type && childValue(resource, 'id') === id);
  return found.length === 1 ? found[0] : undefined;
}

/** @internal The action a SOAPAction header names, or `undefined` when absent (`""` counts as absent, L-11.5). */
function soapActionName(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  const unquoted = header
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
  if (unquoted === '') return undefined;
  const cut = Math.max(unquoted.lastIndexOf(':'), unquoted.lastIndexOf('/'));
  return `${unquoted.slice(0, cut)}:${unquoted.slice(cut + 1)}`;
}

/** The focus resource type each interaction's `data.reference` must name (L-3). */
const FOCUS_TYPE = { query: 'Parameters', create: 'Flag', delete: 'Parameters' } as const satisfies Record<LegacyInteraction, string>;

/**
 * Checks the envelope in the order L-3 lists (then L-11.5, L-11.6); every
 * fault is 400 MESSAGE_NOT_WELL_FORMED with diagnostics naming it. Client
 * text is never echoed back.
 *
 * @param root The document's root element.
 * @param interaction The endpoint the message was posted to.
 * @param soapAction The SOAPAction header, or null.
 */
export function parseEnvelope(
  root: XmlElement,
  interaction: LegacyInteraction,
  soapAction: string | null,
): { readonly facts: EnvelopeFacts; readonly result: LegacyResult<LegacyEnvelope> } {
  const facts: { messageId?: string; senderEndpoint?: string; requestEvent?: string } = {};
  const refuse = (diagnostics: string) => ({ facts, result: { ok: false, error: legacyOutcome('MESSAGE_NOT_WELL_FORMED', diagnostics) } as const });

  if (!root.fhir || root.name !== 'Bundle') return refuse('The root element must be a FHIR Bundle');
  const resources = entryResources(root);
  const header = resources[0];
  // What the response needs is read before any refusal, as far as the header allows.
  const messageId = header?.name === 'MessageHeader' ? messageTraceId(childValue(header, 'id')) : undefined;
  if (messageId !== undefined) facts.messageId = messageId;
  const senderEndpoint = valueAt(header, 'source', 'endpoint');
  if (header?.name === 'MessageHeader' && senderEndpoint !== undefined && ASID_ENDPOINT.test(senderEndpoint)) facts.senderEndpoint = senderEndpoint;
  const event = valueAt(header, 'event', 'code');
  if (header?.name === 'MessageHeader' && event !== undefined && endpointEvent(interaction, event)) facts.requestEvent = event;

  if (childValue(root, 'type') !== 'message') return refuse('Bundle.type must be message');
  if (!header || header.name !== 'MessageHeader') return refuse('The first entry of the Bundle must be a MessageHeader');
  if (facts.messageId === undefined) return refuse('MessageHeader.id must be present: 1 to 64 characters, no control characters');
  if (childValue(header, 'timestamp') === undefined) return refuse('MessageHeader.timestamp must be present');
  if (event === undefined) return refuse('MessageHeader.event.code must be present');
  if (senderEndpoint === undefined) return refuse('MessageHeader.source.endpoint must be present');
  const receiverEndpoint = valueAt(header, 'destination', 'endpoint');
  if (receiverEndpoint === undefined) return refuse('MessageHeader.destination.endpoint must be present');
  const sender = ASID_ENDPOINT.exec(senderEndpoint);
  if (!sender?.[1]) return refuse('MessageHeader.source.endpoint must be urn:nhs:addressing:asid: followed by 12 digits');
  const receiver = ASID_ENDPOINT.exec(receiverEndpoint);
  if (!receiver?.[1]) return refuse('MessageHeader.destination.endpoint must be urn:nhs:addressing:asid: followed by 12 digits');
  if (facts.requestEvent === undefined) {
    const expected = Object.keys(LEGACY_EVENTS[interaction]).map(eventUrn).join(' or ');
    return refuse(`MessageHeader.event.code is not an event of this endpoint: expected ${expected}`);
  }
  const action = soapActionName(soapAction);
  if (action !== undefined && action !== facts.requestEvent)
    return refuse('The SOAPAction header names a different action from MessageHeader.event.code');
  const focus = resolveReference(resources, valueAt(header, 'data', 'reference'));
  if (!focus) return refuse('MessageHeader.data.reference must name a resource that is an entry of the Bundle');
  const authorReference = valueAt(header, 'author', 'reference');
  const author = resolveReference(resources, authorReference);
  if (interaction !== 'query' && author?.name !== 'Practitioner') {
    return refuse('MessageHeader.author.reference must name a Practitioner that is an entry of the Bundle');
  }
  if (focus.name !== FOCUS_TYPE[interaction]) return refuse(`MessageHeader.data.reference must name a ${FOCUS_TYPE[interaction]} for this endpoint`);
  return {
    facts,
    result: {
      ok: true,
      value: {
        messageId: facts.messageId,
        requestEvent: facts.requestEvent,
        senderEndpoint,
        senderAsid: sender[1],
        receiverAsid: receiver[1],
        focus,
        author: author?.name === 'Practitioner' ? author : undefined,
        resources: resources.filter((resource): resource is XmlElement => resource !== undefined),
      },
    },
  };
}

/** The SDS identifier systems of a Practitioner (L§2). */
const SDS_USER_ID = 'http://fhir.nhs.net/Id/sds-user-id';
const SDS_ROLE_PROFILE_ID = 'http://fhir.nhs.net/Id/sds-role-profile-id';
const ODS_CODE = 'http://fhir.nhs.net/Id/ods-organization-code';
/** An identifier value fit for the audit trail: 1–64 visible ASCII characters (as D-17 asks of token claims). */
const IDENTITY = /^[\x21-\x7E]{1,64}$/;

/** The user the accredited system vouches for (L-4, L-9): SDS user and role profile ids, and the ODS code of their organisation when given. */
export interface LegacyUser {
  readonly sub?: string | undefined;
  readonly role?: string | undefined;
  readonly org?: string | undefined;
}

/** @internal The value of the one identifier of `system` on a resource, when it is fit for the audit trail. */
function identifierValue(resource: XmlElement | undefined, system: string): string | undefined {
  if (!resource) return undefined;
  const values = childrenNamed(resource, 'identifier')
    .filter((identifier) => childValue(identifier, 'system') === system)
    .map((identifier) => childValue(identifier, 'value'));
  return values.length === 1 && values[0] !== undefined && IDENTITY.test(values[0]) ? values[0] : undefined;
}

/**
 * The author's credentials (L-4, L-11.6): for create and delete the
 * Practitioner must carry both an `sds-user-id` and an `sds-role-profile-id`
 * identifier, else 401 AUTHOR_CREDENTIALS_ERROR; for query whatever is
 * present is taken, for the audit trail.
 */
export function checkAuthor(envelope: LegacyEnvelope, interaction: LegacyInteraction): LegacyResult<LegacyUser> {
  const { author } = envelope;
  const sub = identifierValue(author, SDS_USER_ID);
  const role = identifierValue(author, SDS_ROLE_PROFILE_ID);
  const organisation = resolveReference(envelope.resources, valueAt(author, 'practitionerRole', 'managingOrganization', 'reference'));
  const org = organisation?.name === 'Organization' ? identifierValue(organisation, ODS_CODE) : undefined;
  if (interaction !== 'query' && (sub === undefined || role === undefined)) {
    return {
      ok: false,
      error: legacyOutcome('AUTHOR_CREDENTIALS_ERROR', 'The author Practitioner must carry an sds-user-id and an sds-role-profile-id identifier'),
    };
  }
  return { ok: true, value: { sub, role, org } };
}
