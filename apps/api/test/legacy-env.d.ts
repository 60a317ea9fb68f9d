/** Raw text imports (Vite's `?raw`): the example messages, and CHANGELOG.md for the release test. */
declare module '*.xml?raw' {
  const text: string;
  export default text;
}

declare module '*.md?raw' {
  const text: string;
  export default text;
}
