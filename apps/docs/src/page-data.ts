/**
 * What the build puts in the docs page for its module (a JSON script
 * element): the validator's examples, the sandbox directory, the console's
 * choices.
 */
import type { PatientDemographics } from '@fgm-is/rules';

/** The sandbox directory as the fixtures hold it (spec §15). */
export interface SandboxDirectory {
  readonly patients: Readonly<Record<string, PatientDemographics>>;
  readonly flags: readonly { id: string; nhsNumber: string; assessmentDate: string; lastUpdated: string }[];
}

/** The page's data. */
export interface PageData {
  readonly examples: readonly { readonly label: string; readonly body: unknown }[];
  readonly directory: SandboxDirectory;
  readonly console: {
    readonly asids: readonly { readonly value: string; readonly label: string }[];
    readonly roles: readonly { readonly value: string; readonly label: string; readonly activities: readonly string[] }[];
    readonly serviceAsid: string;
    readonly addBody: unknown;
    readonly removeBody: unknown;
    readonly nhsNumber: string;
    readonly flagId: string;
  };
}
