import { type LegacyMessage, readLegacyMessage } from '@fgm-is/client';
/**
 * The assertions checks make. A mismatch throws `Mismatch` with what was
 * expected and what came, which the runner records as the check's failure.
 *
 * @internal
 */
import { type CatalogueEntry, FHIR_JSON_CONTENT_TYPE, SPINE_CODE_SYSTEM, SPINE_RESPONSE_CODE_SYSTEM } from '@fgm-is/rules';
import type { Answer } from '../http/index.ts';

/** A check's expectation that the server did not meet. */
export class Mismatch extends Error {
  override readonly name = 'Mismatch';
}

/** Fails the check unless `condition` holds. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Mismatch(message);
}

/** Fails unless `actual` equals `expected` (strictly). */
export function expectEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Mismatch(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** The JSON body of an answer, or a mismatch naming what it was. */
export function jsonOf(answer: Answer): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new Mismatch(`HTTP ${answer.status}: the body is not JSON (${JSON.stringify(answer.text.slice(0, 80))})`);
  }
  expectThat(typeof body === 'object' && body !== null && !Array.isArray(body), `HTTP ${answer.status}: the body is not a JSON object`);
  return body as Record<string, unknown>;
}

/** Fails unless the status is the one expected; says what the body was about when it is not. */
export function expectStatus(answer: Answer, status: number): void {
  if (answer.status === status) return;
  let about = '';
  try {
    const body = JSON.parse(answer.text) as { issue?: Array<{ diagnostics?: string }> };
    if (body.issue?.[0]?.diagnostics) about = ` (${body.issue[0].diagnostics})`;
  } catch {
    about = readLegacyMessage(answer.text)?.issue?.diagnostics ? ` (${readLegacyMessage(answer.text)?.issue?.diagnostics})` : '';
  }
  throw new Mismatch(`expected HTTP ${status}, got ${answer.status}${about}`);
}

/** D-12: every R4 body is FHIR JSON with this Content-Type, and every response carries no-store and nosniff. */
export function expectFhirJson(answer: Answer): void {
  expectEqual(
    answer.headers.get('Content-Type')?.toLowerCase().replace(/\s+/g, ''),
    FHIR_JSON_CONTENT_TYPE.toLowerCase().replace(/\s+/g, ''),
    'Content-Type',
  );
  expectEqual(answer.headers.get('Cache-Control'), 'no-store', 'Cache-Control');
  expectEqual(answer.headers.get('X-Content-Type-Options'), 'nosniff', 'X-Content-Type-Options');
}

/** Options of {@link expectOutcome}. */
export interface OutcomeOptions {
  /** Compare the diagnostics too (the default): false where the contract leaves the text to the server. */
  readonly diagnostics?: boolean;
}

/**
 * The answer is exactly this catalogue row's OperationOutcome (§7, §8,
 * D-12): status, one issue, severity, issue code, details system, code and
 * display, and the diagnostics to the letter.
 */
export function expectOutcome(answer: Answer, entry: CatalogueEntry, options: OutcomeOptions = {}): void {
  expectStatus(answer, entry.status);
  expectFhirJson(answer);
  const body = jsonOf(answer) as { resourceType?: unknown; issue?: unknown };
  expectEqual(body.resourceType, 'OperationOutcome', 'resourceType');
  expectThat(Array.isArray(body.issue) && body.issue.length === 1, 'an OperationOutcome with exactly one issue');
  const [issue] = body.issue as Array<{
    severity?: unknown;
    code?: unknown;
    details?: { coding?: Array<Record<string, unknown>> };
    diagnostics?: unknown;
  }>;
  expectEqual(issue?.severity, entry.severity, 'issue.severity');
  expectEqual(issue?.code, entry.code, 'issue.code');
  const coding = issue?.details?.coding?.[0];
  expectEqual(coding?.system, SPINE_CODE_SYSTEM, 'issue.details.coding[0].system');
  expectEqual(coding?.code, entry.details, 'issue.details.coding[0].code');
  expectEqual(coding?.display, entry.display, 'issue.details.coding[0].display');
  if (options.diagnostics !== false) expectEqual(issue?.diagnostics, entry.diagnostics, 'issue.diagnostics');
}

/** What a legacy error must show (L§3, L-8). */
export interface LegacyExpectation {
  readonly status: number;
  readonly code: string;
  readonly severity: string;
  readonly issueType: string;
  /** When the contract fixes the text (L-2, L-6, L-7). */
  readonly diagnostics?: string;
}

/** The legacy answer as a message Bundle, with L-2's headers, or a mismatch. */
export function legacyMessageOf(answer: Answer): LegacyMessage {
  expectEqual(answer.headers.get('Content-Type')?.toLowerCase().replace(/\s+/g, ''), 'application/xml+fhir;charset=utf-8', 'Content-Type');
  expectEqual(answer.headers.get('Cache-Control'), 'no-store', 'Cache-Control');
  const message = readLegacyMessage(answer.text);
  expectThat(message !== undefined, `HTTP ${answer.status}: the body is not a FHIR message Bundle in XML`);
  expectEqual(message.resourceTypes[0], 'MessageHeader', 'first entry');
  return message;
}

/** The answer is this legacy error: status, one OperationOutcome issue, its code system, `response.code` per L-8. */
export function expectLegacyError(answer: Answer, expected: LegacyExpectation): LegacyMessage {
  expectStatus(answer, expected.status);
  const message = legacyMessageOf(answer);
  expectThat(message.issue !== undefined, 'an OperationOutcome entry');
  expectEqual(message.issue.code, expected.code, 'issue.details.coding.code');
  expectEqual(message.issue.system, SPINE_RESPONSE_CODE_SYSTEM, 'issue.details.coding.system');
  expectEqual(message.issue.severity, expected.severity, 'issue.severity');
  expectEqual(message.issue.issueType, expected.issueType, 'issue.code');
  if (expected.diagnostics !== undefined) expectEqual(message.issue.diagnostics, expected.diagnostics, 'issue.diagnostics');
  const responseCode = expected.status === 422 ? 'ok' : expected.status === 503 ? 'transient-error' : 'fatal-error';
  expectEqual(message.header.responseCode, responseCode, 'MessageHeader.response.code');
  return message;
}
