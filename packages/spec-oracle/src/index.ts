/**
 * `@fgm-is/spec-oracle`: the error tables of the two contracts, transcribed
 * by hand from the spec documents, so that tests compare the implementation
 * with the spec's own words rather than with itself.
 *
 * Private to this repository and used only by tests (the rules package's
 * and the API's); it is never published and depends on nothing.
 */
export { LEGACY_SPEC_CODE_SYSTEM, LEGACY_SPEC_ERRORS } from './legacy.ts';
export type { LegacySpecErrorKey } from './legacy.ts';
export { SPEC_ERRORS, expectedOutcome, expectedStatus } from './r4.ts';
export type { SpecErrorKey } from './r4.ts';
