/**
 * The real local server for end-to-end tests: `wrangler dev` (what `npm
 * start` runs) on 127.0.0.1 and a free port, over its own freshly seeded
 * state directory, so tests talk to it over real HTTP exactly as a client
 * of the sandbox would. Holds no test logic: API and browser tests share it.
 * The process handling is the crash test's (`crashable-server.ts`), started once.
 */
import { type ServerOptions, createCrashableServer } from './crashable-server.ts';

/** A running sandbox server. */
export interface SandboxServer {
  /** Its origin, e.g. `http://127.0.0.1:43123` (no trailing slash). */
  readonly baseUrl: string;
  /** Stops the server (its whole process group) and removes its state directory. */
  stop(): Promise<void>;
}

/**
 * Seeds a fresh temporary state directory with the sandbox fixtures, starts
 * `wrangler dev` over it on 127.0.0.1 and a free port, and resolves once
 * `GET /_ping` answers 200. Rejects (with wrangler's output) if it does not,
 * after stopping what it started and removing the directory.
 */
export async function startSandboxServer(options: ServerOptions = {}): Promise<SandboxServer> {
  const server = await createCrashableServer(options);
  try {
    await server.start();
  } catch (error) {
    await server.dispose();
    throw error;
  }
  return { baseUrl: server.baseUrl, stop: () => server.dispose() };
}
