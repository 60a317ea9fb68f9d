/**
 * A dependency (KV, the patient directory, the JWKS endpoint) failed or timed
 * out. The app answers 503 SERVICE_UNAVAILABLE and the client may retry.
 * The message is for operators and is never sent to clients; adapters keep
 * NHS numbers and tokens out of it.
 */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';

  /**
   * @param dependency A fixed name of the dependency, such as `kv` or `pds`.
   * @param options The underlying error as `cause`.
   */
  constructor(
    readonly dependency: string,
    options?: ErrorOptions,
  ) {
    super(`${dependency} unavailable`, options);
  }
}

/**
 * Runs a dependency call, turning any failure into {@link DependencyUnavailableError}.
 *
 * @internal
 */
export async function guardDependency<T>(dependency: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (cause instanceof DependencyUnavailableError) throw cause;
    throw new DependencyUnavailableError(dependency, { cause });
  }
}
