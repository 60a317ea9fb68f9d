import { env } from 'cloudflare:workers';

/** Every key, value and metadata of the FLAGS namespace, to prove a refused request changed nothing. */
export async function flagsSnapshot(): Promise<Record<string, unknown>> {
  const snapshot: Record<string, unknown> = {};
  let cursor: string | undefined;
  do {
    const page = await env.FLAGS.list(cursor ? { cursor } : {});
    for (const key of page.keys) {
      const { value, metadata } = await env.FLAGS.getWithMetadata(key.name);
      snapshot[key.name] = { value, metadata };
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return snapshot;
}
