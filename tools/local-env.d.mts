/** The environment for a command run in `dir`: tools/local-env.mjs says what it sets, and why. */
export function localEnv(dir: string, base?: NodeJS.ProcessEnv, options?: { operator?: boolean }): NodeJS.ProcessEnv;
