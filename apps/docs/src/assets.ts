/// <reference path="./text-modules.d.ts" />
/**
 * The built files (`dist/`, made by `scripts/build.ts`), imported when a
 * route first asks for them: text modules beside the Worker's main module
 * (wrangler's default module rules upload `*.txt` and `*.html` as text).
 */

/** The OpenAPI document as built (JSON text), every path included. */
export async function openApiText(): Promise<string> {
  return (await import('../dist/openapi.txt')).default;
}

/** The docs page (HTML), the sandbox console included between its markers. */
export async function pageHtml(): Promise<string> {
  return (await import('../dist/index.html')).default;
}

/** The page's static files by name, with their media types. */
export const PAGE_ASSETS = {
  'app.js': { type: 'text/javascript; charset=utf-8', load: async () => (await import('../dist/app.js.txt')).default },
  'style.css': { type: 'text/css; charset=utf-8', load: async () => (await import('../dist/style.css.txt')).default },
} as const satisfies Record<string, { type: string; load: () => Promise<string> }>;
