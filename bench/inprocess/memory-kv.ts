/**
 * An in-memory stand-in for a Workers KV namespace: the calls the API's KV
 * adapters make (get as text or JSON, getWithMetadata, put with metadata,
 * delete, list by prefix), with values stored as the strings KV would
 * store, so the adapters' JSON work is measured as in production.
 */
export function memoryKv(): KVNamespace {
  const entries = new Map<string, { value: string; metadata: unknown }>();
  const read = (key: string, type?: unknown) => {
    const stored = entries.get(key);
    if (!stored) return null;
    const kind = typeof type === 'object' && type !== null ? (type as { type?: string }).type : type;
    return kind === 'json' ? JSON.parse(stored.value) : stored.value;
  };
  const kv = {
    async get(key: string, type?: unknown) {
      return read(key, type);
    },
    async getWithMetadata(key: string, type?: unknown) {
      return { value: read(key, type), metadata: entries.get(key)?.metadata ?? null, cacheStatus: null };
    },
    async put(key: string, value: string, options?: { metadata?: unknown }) {
      entries.set(key, { value: String(value), metadata: options?.metadata ?? null });
    },
    async delete(key: string) {
      entries.delete(key);
    },
    async list(options: { prefix?: string; cursor?: string; limit?: number } = {}) {
      const names = [...entries.keys()].filter((name) => name.startsWith(options.prefix ?? '')).sort();
      const start = options.cursor ? Number(options.cursor) : 0;
      const limit = options.limit ?? 1000;
      const page = names.slice(start, start + limit);
      const done = start + limit >= names.length;
      return {
        keys: page.map((name) => ({ name, metadata: entries.get(name)?.metadata })),
        list_complete: done,
        ...(done ? {} : { cursor: String(start + limit) }),
        cacheStatus: null,
      };
    },
  };
  return kv as unknown as KVNamespace;
}
