/** The environment for a command run in `dir`: tools/local-env.mjs says what it sets, and why. */
export function localEnv(dir: string, base?: NodeJS.ProcessEnv, options?: { operator?: boolean }): NodeJS.ProcessEnv;
/** `env` with the user's own `XDG_CONFIG_HOME` back, for commands such as git: tools/local-env.mjs. */
export function outerEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
