/** Raw text imports of the example messages (Vite's `?raw`). */
declare module '*.xml?raw' {
  const text: string;
  export default text;
}
