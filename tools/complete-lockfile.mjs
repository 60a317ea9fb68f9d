#!/usr/bin/env node
// Completes package-lock.json for this project's registry mirror.
//
// Native packages (here oxc-parser, through knip) list one optional
// dependency per platform. The mirror these machines install from holds only
// the Linux builds, so `npm install` leaves the other platforms out of the
// lockfile, and then `npm ci` refuses the lockfile as out of sync ("Missing:
// @oxc-parser/binding-darwin-arm64@ from lock file"). This adds each missing
// platform entry with its os/cpu/libc (read from its name, the napi-rs
// convention) and no integrity: npm skips a package for another platform
// without fetching it, and a full registry fills the integrity in on the
// next `npm install`.
//
//   node tools/complete-lockfile.mjs           fix package-lock.json in place
//   node tools/complete-lockfile.mjs --check   exit 1 if anything is missing
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

/** os, cpu and libc of a napi-rs platform package, from its name (binding-<os>-<cpu>[-<abi>]). */
function platformOf(name) {
  const match = /binding-([a-z0-9]+)-([a-z0-9]+)(?:-([a-z0-9]+))?$/.exec(name);
  if (!match) return undefined;
  const [, os, cpu, abi = ''] = match;
  const libc = abi.startsWith('gnu') ? ['glibc'] : abi.startsWith('musl') ? ['musl'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

const missing = [];
for (const [location, entry] of Object.entries(packages)) {
  for (const [dependency, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const at = `node_modules/${dependency}`;
    if (packages[at] || packages[`${location}/${at}`]) continue;
    const platform = platformOf(dependency);
    if (!platform) throw new Error(`${dependency} (optional dependency of ${location}) is missing and is not a platform package`);
    missing.push([
      at,
      { version, ...platform, dev: entry.dev, license: entry.license, optional: true, ...(entry.engines ? { engines: entry.engines } : {}) },
    ]);
  }
}

if (process.argv.includes('--check')) {
  for (const [at] of missing) process.stderr.write(`missing from package-lock.json: ${at}\n`);
  process.exit(missing.length > 0 ? 1 : 0);
}
for (const [at, entry] of missing) packages[at] = entry;
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`complete-lockfile: added ${missing.length} platform entr${missing.length === 1 ? 'y' : 'ies'}\n`);
