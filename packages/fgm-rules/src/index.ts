/**
 * `@fgm-is/rules`: the pure domain rules of the FGM-IS FHIR R4 API.
 *
 * Every validation and every error mapping lives here once. No I/O, no clock
 * and no randomness: pass `now`, `today` and ids in.
 *
 * @packageDocumentation
 */
export * from './access/index.ts';
export * from './add/index.ts';
export * from './calendar/index.ts';
export * from './capability/index.ts';
export * from './catalogue/index.ts';
export * from './fhir/index.ts';
export * from './flag/index.ts';
export * from './head-parameters/index.ts';
export * from './http/index.ts';
export { parseJsonBody } from './json/index.ts';
export * from './nhs-number/index.ts';
export * from './outcome/index.ts';
export * from './remove/index.ts';
export type { Err, Ok, Result } from './result/index.ts';
export * from './search/index.ts';
