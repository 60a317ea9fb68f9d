/**
 * What the docs channel needs of the configuration: whether the page is
 * on, and whether this is the sandbox with its published token secret
 * (the only place the console and its token endpoint exist).
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { readConfig } from '../../config/index.ts';

/** The docs channel's view of the configuration. */
export interface DocsSettings {
  /** The page and its assets are served (`DOCS_PAGE = "on"`). */
  readonly page: boolean;
  /** The sandbox console and `POST /_sandbox/token`: the page is on, `ENVIRONMENT` is `sandbox` and tokens are HS256 with a shared secret. */
  readonly sandboxSigning: { readonly secret: string; readonly issuer: string; readonly audience: string } | undefined;
}

const cache = new WeakMap<object, DocsSettings>();

/** The settings of this request's env, read once per env object (a configuration fault is the 500 every route gives). */
export function docsSettings(c: Context<AppEnv>): DocsSettings {
  let settings = cache.get(c.env);
  if (!settings) {
    const config = readConfig(c.env);
    const { keys, issuer, audience } = config.auth;
    settings = {
      page: config.docsPage,
      sandboxSigning:
        config.docsPage && config.environment === 'sandbox' && keys.kind === 'secret' ? { secret: keys.secret, issuer, audience } : undefined,
    };
    cache.set(c.env, settings);
  }
  return settings;
}
