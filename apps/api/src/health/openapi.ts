/**
 * The health routes (D-22) as data: path, what each says, and the catalogue
 * rows they can answer with. Data only (no Hono): the docs workspace builds
 * the OpenAPI document from it (`@fgm-is/api/routes`).
 */
import type { ErrorKey } from '@fgm-is/rules';

/** A health endpoint: GET only, no headers needed, never audited. */
export interface HealthOperation {
  readonly method: 'GET';
  readonly path: '/_ping' | '/_status';
  readonly operationId: string;
  readonly summary: string;
  /** The catalogue rows it can answer with (a 503 of `/_status` is a health body, not a row). */
  readonly errors: readonly ErrorKey[];
}

/** `/_ping` and `/_status`. */
export const HEALTH_OPERATIONS: readonly HealthOperation[] = [
  { method: 'GET', path: '/_ping', operationId: 'ping', summary: 'The service runs (D-22)', errors: ['INTERNAL_ERROR'] },
  { method: 'GET', path: '/_status', operationId: 'status', summary: 'Whether the dependencies answer (D-22)', errors: ['INTERNAL_ERROR'] },
];
