/**
 * What a request was answered with, as data: made once, by the one
 * function of each channel that turns a decision into a response (R4's
 * `respond`, messaging's `legacyAnswer`), and read from there by the request
 * log and the audit record. Nothing is learnt back from the response.
 */
import type { AuditSubject } from '../audit/draft.ts';

/** The decision behind a response. */
export interface Answered {
  /** The Spine details code of an error or warning answer (the catalogue's or the legacy table's); null for a success. */
  readonly code: string | null;
  /** The patient and flag the request was found to concern, and what a message said of its sender. */
  readonly subject: AuditSubject;
  /** The ledger committed this request's audit record with the change it made (ADR 0002): nothing more to record. */
  readonly committed: boolean;
}
