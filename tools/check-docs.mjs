/**
 * The documentation's check: the docs say what the repository has. It fails when:
 *
 * - a name a publishable package exports from its `src/index.ts` (values and
 *   types alike, read with the TypeScript compiler API) does not appear in the
 *   package's README as a code span, `` `Name` `` or `` `Name(…` ``;
 * - CONTRIBUTING.md, the root README.md or a README.md under packages/ or
 *   apps/ cites a repository path that exists neither from the repository
 *   root nor from the markdown file's folder.
 *
 * A cited path is a code span with no spaces, or the target of a markdown
 * link, outside fenced code blocks, that looks like a file path: it contains a
 * `/` and ends in an extension, or it starts with `apps/`, `packages/`,
 * `tools/`, `docs/`, `bench/` or `.ci/`. Every relative link target counts,
 * being a path by construction. Skipped: URLs and other `scheme:` values,
 * paths starting with `/` (URL paths of the service), `@` (package names),
 * `~` or `$`, glob-like patterns (`*`), placeholders (`{id}`, `<id>`), and
 * paths git ignores (local or generated files such as `apps/api/.dev.vars`,
 * which the docs tell you to create). A `#anchor`, `?query` or `:line`
 * suffix is dropped before the lookup. A file that names a path on purpose
 * though it is gone (a file a change removed, say) lists it in a comment,
 * `<!-- check-docs-ignore: http/outcome-code.ts audit/complete.ts -->`.
 *
 * Usage: node tools/check-docs.mjs [--root DIR]
 * Exit 0 when the docs hold, 1 otherwise (each fault listed on stderr).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Each publishable package's public API (its `src/index.ts`) and the README that must document it. */
export const PACKAGE_APIS = [
  { source: 'packages/fgm-rules/src/index.ts', readme: 'packages/fgm-rules/README.md' },
  { source: 'packages/fgm-client/src/index.ts', readme: 'packages/fgm-client/README.md' },
  { source: 'packages/fgm-conformance/src/index.ts', readme: 'packages/fgm-conformance/README.md' },
];

/** The markdown files whose cited paths are checked, besides every README.md under these folders. */
const TOP_LEVEL_DOCS = ['CONTRIBUTING.md', 'README.md'];
const README_FOLDERS = ['packages', 'apps'];

/** Prefixes that make a cited value a repository path even without an extension. */
const PATH_PREFIXES = ['apps/', 'packages/', 'tools/', 'docs/', 'bench/', '.ci/'];
/** A last path segment that ends in an extension (`index.ts`, `.dev.vars.example`). */
const EXTENSION = /[^/]\.[A-Za-z0-9]{1,10}$/;
/** A value that starts with a URI scheme (`https:`, `mailto:`, `urn:`, `node:`) or names a host and port. */
const SCHEME_OR_HOST = /^(?:[A-Za-z][A-Za-z0-9+.-]*:|[^/]*:[0-9])/;
/** A markdown comment listing paths the file names on purpose though they do not exist. */
const IGNORE_MARKER = /<!--\s*check-docs-ignore:([\s\S]*?)-->/g;
/** Characters no plain repository path here contains: placeholders, alternatives, quotes, globs. */
const NOT_A_PLAIN_PATH = /[*{}<>"'|,;=()[\]\\…]/;

/**
 * The names a module exports, read with the TypeScript compiler API: every
 * named export of its `export { … }` and `export type { … }` declarations
 * (the alias when renamed), `export * as name`, and declarations marked
 * `export`. `export * from` cannot be listed without resolving the module, so
 * it is returned in `unsupported` for the caller to refuse.
 *
 * @returns the names, sorted and without repeats, and the unsupported re-exports.
 */
export function exportedNames(sourceText, fileName = 'index.ts') {
  const file = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const names = new Set();
  const unsupported = [];
  for (const statement of file.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause === undefined) unsupported.push(statement.getText(file));
      else if (ts.isNamedExports(clause)) for (const element of clause.elements) names.add(element.name.text);
      else if (ts.isNamespaceExport(clause)) names.add(clause.name.text);
      continue;
    }
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
    } else if (statement.name && ts.isIdentifier(statement.name)) {
      names.add(statement.name.text);
    }
  }
  return { names: [...names].sort(), unsupported };
}

/** @internal The markdown with its fenced code blocks blanked (line count kept, so line numbers still hold). */
function withoutFences(markdown) {
  let fence;
  return markdown
    .split('\n')
    .map((line) => {
      const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (fence === undefined && opening) {
        fence = opening[1];
        return '';
      }
      if (fence !== undefined) {
        if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = undefined;
        return '';
      }
      return line;
    })
    .join('\n');
}

/**
 * The inline code spans of a markdown text outside fenced code blocks, in
 * order, each with its content (trimmed, and `\|` read as `|`, as a table
 * cell writes it), its 1-based line and where it starts and ends.
 */
export function codeSpans(markdown) {
  const text = withoutFences(markdown);
  const spans = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '`') {
      i += 2;
      continue;
    }
    if (c !== '`') {
      i++;
      continue;
    }
    let run = 1;
    while (text[i + run] === '`') run++;
    const ticks = '`'.repeat(run);
    let close = text.indexOf(ticks, i + run);
    while (close !== -1 && text[close + run] === '`') {
      let after = close;
      while (text[after] === '`') after++;
      close = text.indexOf(ticks, after);
    }
    if (close === -1) {
      i += run;
      continue;
    }
    const raw = text.slice(i + run, close);
    spans.push({ content: raw.replace(/\\\|/g, '|').trim(), line, start: i, end: close + run });
    for (const ch of raw) if (ch === '\n') line++;
    i = close + run;
  }
  return spans;
}

/** The exported names a README does not mention as `` `Name` `` or `` `Name(…` ``. */
export function missingExports(names, markdown) {
  const spans = codeSpans(markdown).map((span) => span.content);
  return names.filter((name) => !spans.some((content) => content === name || content.startsWith(`${name}(`)));
}

/**
 * What a cited value names as a repository path, or `undefined` when it is
 * not one (see the file's comment for what is skipped).
 */
export function asRepositoryPath(value, { isLink = false } = {}) {
  let path = value.trim();
  if (path === '' || /\s/.test(path) || path.startsWith('#')) return undefined;
  if (SCHEME_OR_HOST.test(path) || /^[/@~$]/.test(path)) return undefined;
  path = path.replace(/[#?].*$/, '').replace(/:[0-9]+(?::[0-9]+)?$/, '');
  if (path === '' || NOT_A_PLAIN_PATH.test(path)) return undefined;
  if (isLink) return path;
  const bare = path.replace(/^(?:\.\.?\/)+/, '');
  if (PATH_PREFIXES.some((prefix) => bare.startsWith(prefix))) return path;
  return path.includes('/') && EXTENSION.test(path.replace(/\/+$/, '')) ? path : undefined;
}

/** Every repository path a markdown text cites, in order: code spans, then link targets, each with its line. */
export function citedPaths(markdown) {
  const cited = [];
  const spans = codeSpans(markdown);
  for (const span of spans) {
    const path = asRepositoryPath(span.content);
    if (path !== undefined) cited.push({ path, line: span.line });
  }
  // Links outside code: blank the code spans (keeping offsets) and the fenced blocks.
  let text = withoutFences(markdown);
  for (const span of spans) text = text.slice(0, span.start) + text.slice(span.start, span.end).replace(/[^\n]/g, ' ') + text.slice(span.end);
  const lineAt = (index) => text.slice(0, index).split('\n').length;
  for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const path = asRepositoryPath(match[1], { isLink: true });
    if (path !== undefined) cited.push({ path, line: lineAt(match.index) });
  }
  for (const match of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) {
    const path = asRepositoryPath(match[1], { isLink: true });
    if (path !== undefined) cited.push({ path, line: lineAt(match.index) });
  }
  return cited.sort((a, b) => a.line - b.line);
}

/**
 * The paths a markdown file cites that exist neither from the repository
 * root nor from the file's own folder.
 *
 * @param markdown The file's text.
 * @param file The file's path from the repository root (`packages/fgm-rules/README.md`).
 * @param exists Whether a path from the repository root exists (or is to be taken as existing).
 */
export function missingPaths(markdown, file, exists) {
  const folder = posix.dirname(file);
  const ignored = new Set([...markdown.matchAll(IGNORE_MARKER)].flatMap((match) => match[1].trim().split(/\s+/)));
  return citedPaths(markdown).filter(({ path }) => {
    if (ignored.has(path)) return false;
    const fromRoot = posix.normalize(path);
    const fromFolder = posix.normalize(posix.join(folder, path));
    return ![fromRoot, fromFolder].some((candidate) => !candidate.startsWith('../') && exists(candidate));
  });
}

/** @internal Every README.md under `folder`, skipping node_modules, dist and hidden folders (build output and local state). */
function readmesUnder(root, folder) {
  const found = [];
  const walk = (relative) => {
    let entries;
    try {
      entries = readdirSync(join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'dist' && !entry.name.startsWith('.')) walk(path);
      else if (entry.isFile() && entry.name === 'README.md') found.push(path);
    }
  };
  walk(folder);
  return found;
}

/** @internal Whether git ignores a path of the repository at `root` (false when `root` is no git work tree). */
function gitIgnores(root, path) {
  try {
    execFileSync('git', ['check-ignore', '-q', '--no-index', '--', path], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs every check over the repository at `root`, returning the faults found, each as one line. */
export function checkDocs(root) {
  const faults = [];
  const read = (path) => {
    try {
      return readFileSync(join(root, path), 'utf8');
    } catch {
      faults.push(`${path}: cannot be read`);
      return undefined;
    }
  };

  for (const { source, readme } of PACKAGE_APIS) {
    const sourceText = read(source);
    const readmeText = read(readme);
    if (sourceText === undefined || readmeText === undefined) continue;
    const { names, unsupported } = exportedNames(sourceText, source);
    for (const statement of unsupported) faults.push(`${source}: cannot list the names of \`${statement}\`; export them by name`);
    for (const name of missingExports(names, readmeText)) faults.push(`${readme}: does not document \`${name}\`, exported by ${source}`);
  }

  const exists = (path) => existsSync(join(root, path)) || gitIgnores(root, path);
  const docs = [...TOP_LEVEL_DOCS, ...README_FOLDERS.flatMap((folder) => readmesUnder(root, folder))];
  for (const doc of docs) {
    if (!existsSync(join(root, doc))) continue;
    const text = read(doc);
    if (text === undefined) continue;
    for (const { path, line } of missingPaths(text, doc, exists)) faults.push(`${doc}:${line}: cites ${path}, which does not exist`);
  }
  return faults;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const rootIndex = args.indexOf('--root');
  const root = rootIndex >= 0 && args[rootIndex + 1] ? resolve(args[rootIndex + 1]) : REPO_ROOT;
  const faults = checkDocs(root);
  if (faults.length > 0) {
    process.stderr.write(`check-docs: ${faults.length} fault(s)\n${faults.map((fault) => `  ${fault}\n`).join('')}`);
    process.exit(1);
  }
  process.stdout.write('check-docs: every export is documented and every cited path exists\n');
}
