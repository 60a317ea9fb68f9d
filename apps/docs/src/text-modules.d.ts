/**
 * The built documentation files (`dist/`, made by `scripts/build.ts`)
 * are text modules: wrangler's default module rules upload `*.txt` and
 * `*.html` beside the main module, and the Worker imports them as strings.
 */
declare module '*.txt' {
  const text: string;
  export default text;
}

declare module '*.html' {
  const text: string;
  export default text;
}
