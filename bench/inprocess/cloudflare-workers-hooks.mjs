// Node module hooks for the in-process benchmark: `cloudflare:workers`, which
// only workerd provides, resolves to a stub. Only the Durable Object classes
// import it, and the in-process API never instantiates them.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'cloudflare:workers') return { url: new URL('./cloudflare-workers-stub.mjs', import.meta.url).href, shortCircuit: true };
  return nextResolve(specifier, context);
}
