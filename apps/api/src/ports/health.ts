/**
 * Health probes (D-22): one cheap call to a dependency, proving it answers.
 */

/** A dependency `/_status` checks. */
export interface HealthProbe {
  /** A fixed name for the status report, `component:measurement` as in application/health+json (e.g. `kv:flags`). */
  readonly name: string;
  /** Resolves when the dependency answered; rejects (with anything) when it did not. Touches no patient data. */
  probe(): Promise<void>;
}
