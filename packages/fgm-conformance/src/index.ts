/**
 * `@fgm-is/conformance`: the FGM-IS contract's checks, runnable against any
 * server that serves the contract's sandbox data (ours, the NHS sandbox, a
 * supplier's mock), from the `fgm-is-conformance` CLI or from code.
 *
 * @packageDocumentation
 */
export { runConformance, listChecks } from './runner/index.ts';
export type { CheckResult, ConformanceOptions, Report } from './runner/index.ts';
export type { Channel } from './runner/context.ts';
export { toJUnit } from './junit/index.ts';
export { SANDBOX_AUTH } from './http/index.ts';
