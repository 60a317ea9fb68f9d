/**
 * Writes a file generated from the repository's sources, or with `--check`
 * only says whether it is up to date (exit 1 when not), as CI does.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * @param path Where the file lives.
 * @param name Its repository path, for messages.
 * @param command The npm command that regenerates it.
 * @param expected What it must hold.
 */
export function writeOrCheckGenerated(path: string, name: string, command: string, expected: string): void {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // Not written yet.
  }
  if (process.argv.includes('--check')) {
    if (current !== expected) {
      console.error(`${name} is out of date: run ${command}`);
      process.exit(1);
    }
    console.info(`${name} is up to date`);
  } else if (current === expected) {
    console.info(`${name} is up to date`);
  } else {
    writeFileSync(path, expected);
    console.info(`wrote ${path}`);
  }
}
