/**
 * `npm run check:layers`: the layering rules of .dependency-cruiser.cjs, then
 * a check that dependency-cruiser cannot make itself: no import cycle
 * between folders. Each module counts as its folder's (a unit of the rules
 * package, or a top-level folder of apps/api/src); a cycle of folders, even
 * one made of modules that do not form a cycle themselves, fails the check.
 */
import { execFileSync } from 'node:child_process';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const targets = ['packages', 'apps', 'bench'];

execFileSync(npx, ['--no-install', 'depcruise', ...targets, '--config', '.dependency-cruiser.cjs'], { stdio: 'inherit' });

const json = execFileSync(npx, ['--no-install', 'depcruise', ...targets, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const { modules } = JSON.parse(json);

/** The folder a module belongs to, or undefined for modules outside the checked trees (and tests). */
function folderOf(path) {
  if (/\.test\.ts$|\/test-support\//.test(path)) return undefined;
  const unit = /^(packages\/fgm-rules\/src|apps\/api\/src)\/([^/]+)\//.exec(path);
  return unit ? `${unit[1]}/${unit[2]}` : undefined;
}

const edges = new Map();
for (const module of modules) {
  const from = folderOf(module.source);
  if (!from) continue;
  for (const dependency of module.dependencies) {
    const to = folderOf(dependency.resolved);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    edges.get(from).set(to, `${module.source} → ${dependency.resolved}`);
  }
}

// Tarjan's strongly connected components over the folder graph.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
let counter = 0;
function visit(node) {
  index.set(node, counter);
  low.set(node, counter);
  counter++;
  stack.push(node);
  onStack.add(node);
  for (const next of edges.get(node)?.keys() ?? []) {
    if (!index.has(next)) {
      visit(next);
      low.set(node, Math.min(low.get(node), low.get(next)));
    } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
  }
  if (low.get(node) === index.get(node)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component);
  }
}
for (const node of edges.keys()) if (!index.has(node)) visit(node);

if (cycles.length > 0) {
  for (const component of cycles) {
    process.stderr.write(`folder cycle: ${component.join(' ⇄ ')}\n`);
    for (const from of component) {
      for (const [to, example] of edges.get(from) ?? []) if (component.includes(to)) process.stderr.write(`  ${example}\n`);
    }
  }
  process.exit(1);
}
process.stdout.write(
  `check-layers: no folder cycles among ${new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]).size} folders\n`,
);
