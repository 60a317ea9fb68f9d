import { exports } from 'cloudflare:workers';
/**
 * The contract check of every response the API tests receive: each must be
 * one the OpenAPI document (`GET /openapi.json`, as the API serves it: from
 * the docs Worker behind its DOCS binding, an auxiliary Worker here)
 * describes for its route and status, with a documented media type, the
 * required headers, and a body valid against the documented schema (JSON
 * Schema 2020-12, by @cfworker/json-schema, which runs in workerd). An
 * error must be one of the catalogue rows the document lists for it. A
 * response the document does not describe fails the test that received it.
 */
import { type Schema, Validator } from '@cfworker/json-schema';
import { LEGACY_ERRORS } from '@fgm-is/rules';
import { parseXml } from '../../src/legacy/xml.ts';
import { EMPTY_BODY_WHEN, ERRORS_EXTENSION, SERVED_WHEN } from '../../src/routes.ts';

type Json = Record<string, unknown>;
interface ResponseObject {
  readonly description?: string;
  readonly headers?: Record<string, Json>;
  readonly content?: Record<string, { schema?: Json }>;
  readonly [key: string]: unknown;
}
interface OpenApi {
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: { schemas: Record<string, Json>; responses: Record<string, ResponseObject>; headers: Record<string, Json> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** The base of the schema the document's component schemas are registered under. */
const SCHEMAS_ID = 'https://contract.fgm-is.test/schemas';

let loading: Promise<Contract> | undefined;
let checked = 0;

/** How many responses were checked since the last call (the test setup records it per test). */
export function takeCheckedCount(): number {
  const count = checked;
  checked = 0;
  return count;
}

/** @internal Rewrites the document's schema references to the registered component schemas. */
function retarget(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(retarget);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', `${SCHEMAS_ID}#/$defs/`) : retarget(v),
    ]),
  );
}

/** The document, and validators made from it on demand. */
class Contract {
  readonly #validators = new Map<string, Validator>();
  readonly #templates: { template: string; pattern: RegExp }[];

  constructor(readonly document: OpenApi) {
    this.#templates = Object.keys(document.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
  }

  /** The path template a concrete path matches, if any. */
  template(path: string): string | undefined {
    return this.#templates.find((t) => t.pattern.test(path))?.template;
  }

  /** A response object, its `$ref` followed. */
  resolve(response: unknown): ResponseObject | undefined {
    const ref = (response as { $ref?: string } | undefined)?.$ref;
    if (ref) return this.document.components.responses[ref.split('/').pop() ?? ''];
    return response as ResponseObject | undefined;
  }

  /** Validates a value against a schema of the document (cached by where it is). */
  validate(key: string, schema: Json, value: unknown): string[] {
    let validator = this.#validators.get(key);
    if (!validator) {
      validator = new Validator(retarget(schema) as Schema, '2020-12', false);
      validator.addSchema({ $id: SCHEMAS_ID, $defs: retarget(this.document.components.schemas) } as Schema);
      this.#validators.set(key, validator);
    }
    const result = validator.validate(value);
    return result.valid ? [] : result.errors.slice(0, 6).map((e) => `${e.instanceLocation} ${e.error}`);
  }

  /** Whether a documented header is required. */
  required(header: Json): boolean {
    const ref = header.$ref as string | undefined;
    const resolved = ref ? this.document.components.headers[ref.split('/').pop() ?? ''] : header;
    return resolved?.required === true;
  }
}

/** @internal The document as the Worker serves it, fetched once per test file (the call itself is not checked). */
function contract(): Promise<Contract> {
  loading ??= exports.default.fetch('https://fgm.test/openapi.json').then(async (response) => {
    if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
    return new Contract((await response.json()) as OpenApi);
  });
  return loading;
}

/** @internal The legacy row key of an outcome (code and status), as the document lists legacy rows. */
function legacyRowKey(code: string, status: number): string | undefined {
  return Object.values(LEGACY_ERRORS).find((row) => row.code === code && row.status === status)?.key;
}

/** @internal The legacy reply's OperationOutcome code, if any. */
function legacyOutcomeCode(xml: string): string | undefined {
  const parsed = parseXml(xml);
  if (!parsed.ok) throw new Error(`a legacy reply is not well-formed XML (${parsed.refusal})`);
  const named = (e: { children: readonly { name: string; fhir: boolean }[] } | undefined, name: string) =>
    e?.children.find((child) => child.fhir && child.name === name) as typeof parsed.root | undefined;
  for (const entry of parsed.root.children.filter((child) => child.name === 'entry')) {
    const outcome = named(named(entry, 'resource'), 'OperationOutcome');
    const code = named(named(named(named(outcome, 'issue'), 'details'), 'coding'), 'code');
    if (code) return code.attributes.value;
  }
  return undefined;
}

/** @internal What the document says of this request's response: where it says it, and the responses it could be. */
function documented(c: Contract, method: string, path: string, status: number): { where: string; candidates: ResponseObject[] } {
  const template = c.template(path);
  const responses = c.document.components.responses;
  const some = (...found: (ResponseObject | undefined)[]) => found.filter((r): r is ResponseObject => r !== undefined);
  if (template === undefined) return { where: `unknown path ${path}`, candidates: some(status === 404 ? responses.UnknownPath : undefined) };
  const item = c.document.paths[template] ?? {};
  const operation = item[method === 'head' ? 'get' : method] as { responses: Record<string, unknown> } | undefined;
  // A path served only when switched on is, when off, an unknown path.
  const unknownWhenOff = item[SERVED_WHEN] !== undefined && status === 404 ? responses.UnknownPath : undefined;
  if (!operation || !METHODS.includes(method)) {
    const notAllowed = template.startsWith('/fhir/fgm/') ? responses.LegacyMethodNotAllowed : responses.MethodNotAllowed;
    return {
      where: `${method.toUpperCase()} ${template} (not an operation)`,
      candidates: some(status === 405 ? notAllowed : undefined, unknownWhenOff),
    };
  }
  return { where: `${method.toUpperCase()} ${template}`, candidates: some(c.resolve(operation.responses[String(status)]), unknownWhenOff) };
}

/** @internal Why a response is not the documented one, or undefined when it is. */
function mismatch(c: Contract, key: string, lower: string, response: Response, described: ResponseObject, body: Uint8Array): string | undefined {
  for (const [name, header] of Object.entries(described.headers ?? {})) {
    if (c.required(header) && !response.headers.has(name)) return `the required header ${name} is missing`;
  }
  const mediaType = (response.headers.get('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.byteLength === 0) {
    return lower !== 'head' && described.content && !described[EMPTY_BODY_WHEN] ? 'the body is empty, but the document gives it content' : undefined;
  }
  if (!described.content) return `a body (${mediaType}) where the document has none`;
  const content = described.content[mediaType];
  if (!content) return `the media type ${mediaType} is not one of ${Object.keys(described.content).join(', ')}`;
  const text = new TextDecoder().decode(body);
  const listed = described[ERRORS_EXTENSION] as string[] | undefined;
  if (mediaType.endsWith('json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return 'the body is not JSON';
    }
    const errors = content.schema ? c.validate(`${key} ${mediaType}`, content.schema, value) : [];
    if (errors.length === 0) return undefined;
    const issue = (value as { issue?: { details?: { coding?: { code?: string }[] }; diagnostics?: string }[] } | null)?.issue?.[0];
    if (listed && issue) {
      return `the error ${issue.details?.coding?.[0]?.code} "${issue.diagnostics}" is not one of the rows it lists (${listed.join(', ')})`;
    }
    return `the body does not match the documented schema: ${errors.join('; ')}\n${text.slice(0, 600)}`;
  }
  if (mediaType === 'application/xml+fhir' && listed) {
    const code = legacyOutcomeCode(text);
    const row = code === undefined ? undefined : legacyRowKey(code, response.status);
    if (!row || !listed.includes(row)) return `the legacy outcome ${code ?? '(none)'} at ${response.status} is not one of ${listed.join(', ')}`;
  }
  return undefined;
}

/**
 * Checks one response against the document; throws, failing the test, when
 * the document does not describe it. Reads a clone, so the caller still has
 * the body.
 */
export async function checkResponse(method: string, url: string, response: Response): Promise<void> {
  const c = await contract();
  const lower = method.toLowerCase();
  const { where, candidates } = documented(c, lower, new URL(url).pathname, response.status);
  if (candidates.length === 0) throw new Error(`contract: ${where} answered ${response.status}, which the OpenAPI document does not describe`);
  const body = new Uint8Array(await response.clone().arrayBuffer());
  const reasons = candidates.map((described, i) => mismatch(c, `${where} ${response.status} ${i}`, lower, response, described, body));
  if (reasons.every((reason) => reason !== undefined)) {
    throw new Error(`contract: ${where} answered ${response.status}, which the OpenAPI document does not describe: ${reasons.join('; or ')}`);
  }
  checked++;
}

declare module 'vitest' {
  interface TaskMeta {
    /** How many responses the test had checked against the OpenAPI document. */
    contractChecks?: number;
  }
}
