import type { PatientDemographics } from '@fgm-is/rules';

/** What a lookup carries besides the NHS number: our request id, for the directory's logs (never a patient detail). */
export interface LookupContext {
  readonly correlationId?: string;
}

/**
 * The patient directory (D-8): age and gender by NHS number, the role PDS
 * plays in production.
 */
export interface PatientDirectory {
  /**
   * The patient's demographics, or `null` when the NHS number is unknown.
   * Throws `DependencyUnavailableError` when the directory fails or times out.
   */
  lookup(nhsNumber: string, context?: LookupContext): Promise<PatientDemographics | null>;
}
