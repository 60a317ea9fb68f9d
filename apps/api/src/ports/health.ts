/**
 * Health probes (D-22): one cheap call to a dependency, proving it answers.
 */

/** What a probe observed, when it measures more than whether a dependency answers. */
export interface HealthObservation {
  readonly status: 'pass' | 'warn' | 'fail';
  readonly observedValue: number;
  readonly observedUnit: string;
  /** A fixed word saying what is wrong (never a dependency's own message); absent when it passes. */
  readonly output?: string;
}

/** A check of whether a dependency answers (timed by `/_status`). */
export interface AnswerProbe {
  /** A fixed name for the status report, `component:measurement` as in application/health+json (e.g. `kv:flags`). */
  readonly name: string;
  /** Resolves when the dependency answered; rejects (with anything) when it did not. Touches no patient data. */
  probe(): Promise<void>;
}

/** A check that reports what it observes (the write path's reports, for example). */
export interface ObservingProbe {
  readonly name: string;
  /** What the check observed; rejects (with anything) when it could not look. Touches no patient data. */
  observe(): Promise<HealthObservation>;
}

/** A check `/_status` runs. */
export type HealthProbe = AnswerProbe | ObservingProbe;
