/**
 * The FHIR R4 channel: search, add, read and remove, each resolving to a
 * `Result`. Requests are checked with the rules first where the answer is
 * exactly the one the server would give; answers are checked against the
 * rules' schemas, and a flag for another child is never passed on.
 *
 * @internal
 */
import {
  type CatalogueEntry,
  FGM_CODE,
  type FgmFlag,
  FgmFlagSchema,
  NHS_NUMBER_SYSTEM,
  REMOVAL_EXTENSION_URLS,
  REMOVAL_REASONS,
  REMOVAL_REASON_SYSTEMS,
  type Result,
  SNOMED_SYSTEM,
  SearchBundleSchema,
  catalogue,
  isValidNhsNumber,
  validateAddBody,
} from '@fgm-is/rules';
import * as v from 'valibot';
import { type ClientError, clientError, unexpected } from '../errors/index.ts';
import { type Exchange, type Outgoing, type RetryPolicy, type TransportSettings, exchange, withRetry } from '../transport/index.ts';

/** What a call needs from the client it belongs to. */
export interface CallContext {
  readonly transport: TransportSettings;
  readonly retry: RetryPolicy;
  /** The headers every R4 call sends (TraceID, ASIDs, Authorization), or why they could not be had. */
  readonly headers: () => Promise<Result<Record<string, string>, ClientError>>;
  /** Today in Europe/London (`YYYY-MM-DD`). */
  readonly today: () => string;
  /** A fresh UUID. */
  readonly uuid: () => string;
}

/** A search's answer: the child's active flag, or `null` when the register holds none. */
export interface SearchValue {
  readonly flag: FgmFlag | null;
}

/** A single flag, with the version the server tagged it with (send it back as `ifMatch`). */
export interface FlagValue {
  readonly flag: FgmFlag;
  readonly etag?: string;
}

/** An Add's answer: the new flag, its version and its URL. */
export interface AddValue extends FlagValue {
  readonly location?: string;
}

/** What an Add sends: whose flag, and when the FGM assessment was done (`YYYY-MM-DD`, not after today). */
export interface AddInput {
  readonly nhsNumber: string;
  readonly assessmentDate: string;
}

/** An R4 removal reason (spec §5): `'0'` added in error, `'2'` the child has had FGM. There is no `'1'` in R4. */
export type RemovalReason = keyof typeof REMOVAL_REASONS;

/** How a flag is removed. */
export interface RemoveOptions {
  readonly reason: RemovalReason;
  /** The `etag` of the version you saw: the server refuses the removal (412) if the flag changed since. */
  readonly ifMatch?: string;
}

const FHIR_JSON = 'application/fhir+json';

/** @internal A catalogue entry as the error the server would have answered with. */
function fromCatalogue(entry: CatalogueEntry): ClientError {
  return clientError(entry.status, entry.details, entry.diagnostics);
}

/** @internal The parts of an OperationOutcome a client acts on; other elements are tolerated. */
const OutcomeSchema = v.looseObject({
  resourceType: v.literal('OperationOutcome'),
  issue: v.pipe(
    v.array(
      v.looseObject({
        details: v.looseObject({ coding: v.pipe(v.array(v.looseObject({ code: v.string() })), v.minLength(1)) }),
        diagnostics: v.optional(v.string()),
      }),
    ),
    v.minLength(1),
  ),
});

/** @internal The JSON of an answer, or `undefined` when it is not JSON. */
function json(answer: Exchange): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

/**
 * An answer that is not the success expected, as an error: the
 * OperationOutcome's code and diagnostics, exactly as sent.
 *
 * @internal
 */
function failureOf(answer: Exchange): ClientError {
  const outcome = v.safeParse(OutcomeSchema, json(answer));
  if (!outcome.success) return unexpected(answer.status, `HTTP ${answer.status} without an OperationOutcome`);
  const [issue] = outcome.output.issue;
  const code = issue?.details.coding[0]?.code ?? '';
  return clientError(answer.status, code, issue?.diagnostics ?? '');
}

/** @internal A flag in an answer, checked against the contract and against the child it was asked for. */
function flagFor(body: unknown, nhsNumber: string | undefined, status: number): Result<FgmFlag, ClientError> {
  const flag = v.safeParse(FgmFlagSchema, body);
  if (!flag.success) return { ok: false, error: unexpected(status, 'the body is not an FGM-IS Flag') };
  if (nhsNumber !== undefined && flag.output.subject.identifier.value !== nhsNumber) {
    return { ok: false, error: unexpected(status, 'the flag is for another NHS number') };
  }
  return { ok: true, value: flag.output };
}

/** @internal The ETag header as an optional property. */
function etagOf(answer: Exchange): { etag?: string } {
  const etag = answer.headers.get('ETag');
  return etag === null ? {} : { etag };
}

/** @internal Sends one R4 request with the call's headers, retrying as the policy allows, and reads the answer. */
function call<T>(
  context: CallContext,
  request: Omit<Outgoing, 'headers'> & { readonly headers?: Record<string, string> },
  read: (answer: Exchange) => Result<T, ClientError>,
): Promise<Result<T, ClientError>> {
  // One TraceID per call, so every retry of it is one line in the server's audit trail; one X-Request-ID per attempt.
  return context.headers().then((headers) => {
    if (!headers.ok) return headers;
    return withRetry(context.retry, async () => {
      const answer = await exchange(context.transport, {
        ...request,
        headers: { Accept: FHIR_JSON, ...headers.value, ...request.headers, 'X-Request-ID': context.uuid() },
      });
      return answer.ok ? read(answer.value) : answer;
    });
  });
}

/** `GET /Flag?patient:identifier=…`: the child's active flag, or `null`. */
export function search(context: CallContext, nhsNumber: string): Promise<Result<SearchValue, ClientError>> {
  if (!isValidNhsNumber(nhsNumber)) return Promise.resolve({ ok: false, error: fromCatalogue(catalogue.S1) });
  const query = `patient:identifier=${encodeURIComponent(`${NHS_NUMBER_SYSTEM}|${nhsNumber}`)}`;
  return call<SearchValue>(context, { method: 'GET', path: `/Flag?${query}` }, (answer) => {
    if (answer.status !== 200) return { ok: false, error: failureOf(answer) };
    const bundle = v.safeParse(SearchBundleSchema, json(answer));
    if (!bundle.success) return { ok: false, error: unexpected(answer.status, 'the body is not a searchset Bundle') };
    const entries = bundle.output.entry ?? [];
    if (entries.length !== bundle.output.total || entries.length > 1) {
      return { ok: false, error: unexpected(answer.status, 'the Bundle does not hold exactly its total of at most one flag') };
    }
    const [entry] = entries;
    if (entry === undefined) return { ok: true, value: { flag: null } };
    const flag = flagFor(entry.resource, nhsNumber, answer.status);
    if (!flag.ok) return flag;
    if (flag.value.status !== 'active') return { ok: false, error: unexpected(answer.status, 'search returned a flag that is not active') };
    return { ok: true, value: { flag: flag.value } };
  });
}

/** `GET /Flag/{id}`: the flag, active or removed, with its ETag. */
export function read(context: CallContext, id: string): Promise<Result<FlagValue, ClientError>> {
  return call(context, { method: 'GET', path: `/Flag/${encodeURIComponent(id)}` }, (answer) => {
    if (answer.status !== 200) return { ok: false, error: failureOf(answer) };
    const flag = flagFor(json(answer), undefined, answer.status);
    if (!flag.ok) return flag;
    if (flag.value.id !== id) return { ok: false, error: unexpected(answer.status, 'the flag has another id') };
    return { ok: true, value: { flag: flag.value, ...etagOf(answer) } };
  });
}

/** The Flag an Add sends: the FGM-IS data items only (spec §4). */
function addBody(input: AddInput): Record<string, unknown> {
  return {
    resourceType: 'Flag',
    status: 'active',
    code: { coding: [{ system: SNOMED_SYSTEM, code: FGM_CODE }] },
    subject: { identifier: { system: NHS_NUMBER_SYSTEM, value: input.nhsNumber } },
    period: { start: input.assessmentDate },
  };
}

/** `POST /Flag`: adds the child's flag; 201 with the flag, its ETag and Location. */
export function add(context: CallContext, input: AddInput): Promise<Result<AddValue, ClientError>> {
  const body = addBody(input);
  // The rules' own validation: an NHS number failing its check digit or a date that is not a real past date is answered
  // here exactly as the server would (A1, D-6) without a round trip. Age, gender and duplicates need the register.
  const checked = validateAddBody(body, context.today());
  if (!checked.ok) return Promise.resolve({ ok: false, error: fromCatalogue(checked.error) });
  const request = {
    method: 'POST',
    path: '/Flag',
    headers: { 'Content-Type': FHIR_JSON, Prefer: 'return=representation' },
    body: JSON.stringify(body),
  } as const;
  return call(context, request, (answer) => {
    if (answer.status !== 201) return { ok: false, error: failureOf(answer) };
    const flag = flagFor(json(answer), input.nhsNumber, answer.status);
    if (!flag.ok) return flag;
    const location = answer.headers.get('Location');
    return { ok: true, value: { flag: flag.value, ...etagOf(answer), ...(location === null ? {} : { location }) } };
  });
}

/** The Flag a Remove sends: reason `0` → `entered-in-error`, `2` → `inactive`, with the canonical removal extension. */
function removeBody(id: string, reason: RemovalReason): Record<string, unknown> {
  return {
    resourceType: 'Flag',
    id,
    status: reason === '0' ? 'entered-in-error' : 'inactive',
    extension: [
      { url: REMOVAL_EXTENSION_URLS[0], valueCoding: { system: REMOVAL_REASON_SYSTEMS[0], code: reason, display: REMOVAL_REASONS[reason] } },
    ],
  };
}

/** `PUT /Flag/{id}`: removes the flag with a reason; 200 with the removed flag and its new ETag. */
export function remove(context: CallContext, id: string, options: RemoveOptions): Promise<Result<FlagValue, ClientError>> {
  // A JavaScript caller can pass what TypeScript refuses ('1'); the server would refuse it once it found the flag.
  if (!Object.hasOwn(REMOVAL_REASONS, options.reason)) return Promise.resolve({ ok: false, error: fromCatalogue(catalogue.REMOVAL_REASON_CODE) });
  const headers: Record<string, string> = { 'Content-Type': FHIR_JSON, Prefer: 'return=representation' };
  if (options.ifMatch !== undefined) headers['If-Match'] = options.ifMatch;
  const request = { method: 'PUT', path: `/Flag/${encodeURIComponent(id)}`, headers, body: JSON.stringify(removeBody(id, options.reason)) } as const;
  return call(context, request, (answer) => {
    if (answer.status !== 200) return { ok: false, error: failureOf(answer) };
    const flag = flagFor(json(answer), undefined, answer.status);
    if (!flag.ok) return flag;
    if (flag.value.id !== id || flag.value.status === 'active')
      return { ok: false, error: unexpected(answer.status, 'the answer is not the removed flag') };
    return { ok: true, value: { flag: flag.value, ...etagOf(answer) } };
  });
}
