/**
 * The comments around the sandbox console in the built page: the Worker
 * cuts out what lies between them outside the sandbox.
 */
export const SANDBOX_CONSOLE_MARKERS = { start: '<!--sandbox-console:start-->', end: '<!--sandbox-console:end-->' } as const;
