/**
 * Drops the one line workerd logs each time vitest-pool-workers tears down a
 * test file's runtime: `exception = workerd/api/web-socket.c++:…:
 * disconnected: WebSocket peer disconnected`. It reports the pool closing
 * its own control socket after the file's tests have finished; the pool
 * (0.15.x) forwards it to stdout because its own list of ignored runtime
 * messages lacks it, so every test file printed an "exception" that read
 * like a failure. Nothing else is filtered.
 */
const TEARDOWN = /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected\n$/;

/** Installs the filter on this process's stdout and stderr (the vitest main process, where the pool writes). */
export function quietWorkerdTeardown(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string' && TEARDOWN.test(chunk)) return true;
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
