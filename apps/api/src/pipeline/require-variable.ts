/**
 * Reads a request variable that an earlier middleware must have set.
 */
import type { Context } from 'hono';
import type { AppEnv, AppVariables } from '../app-env.ts';

/**
 * The value of `name`, set by an earlier step of the chain. Its absence is a
 * wiring fault in this service (answered as 500), never a client error.
 */
export function requireVariable<K extends keyof AppVariables>(c: Context<AppEnv>, name: K): NonNullable<AppVariables[K]> {
  const value = c.get(name);
  if (value === undefined || value === null) throw new Error(`middleware order: ${String(name)} is not set`);
  return value as NonNullable<AppVariables[K]>;
}
