/**
 * The OpenAPI document as this deployment serves it: the built document
 * with only the paths this configuration serves (legacy messaging, the
 * docs page, the sandbox console each only when on) and this service's
 * base URL as its server.
 */
import { SERVED_WHEN, type ServedWhen } from '@fgm-is/api/routes';

/** Which of the optional parts this deployment serves. */
export type Served = Readonly<Record<ServedWhen, boolean>>;

/** Stands for the server URL in the cached text. */
const SERVER_URL = '\u0000server-url\u0000';

/** At most one entry per combination of the three switches. */
const cache = new Map<string, string>();

/** @internal The built document without the paths this deployment does not serve, its server URL a placeholder. */
function filtered(built: string, served: Served): string {
  const document = JSON.parse(built) as { paths: Record<string, Record<string, unknown>>; servers: unknown };
  const paths = Object.entries(document.paths).filter(([, item]) => {
    const when = item[SERVED_WHEN] as ServedWhen | undefined;
    return when === undefined || served[when];
  });
  return JSON.stringify({ ...document, servers: [{ url: SERVER_URL }], paths: Object.fromEntries(paths) });
}

/** The document to serve, as JSON text. */
export function servedDocument(built: string, served: Served, serverUrl: string): string {
  const key = `${served['legacy-messaging']}:${served['docs-page']}:${served['sandbox-console']}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = filtered(built, served);
    cache.set(key, text);
  }
  return text.replace(JSON.stringify(SERVER_URL), JSON.stringify(serverUrl));
}
