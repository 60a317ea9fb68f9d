/**
 * The deployable bundle's size, from `wrangler deploy --dry-run` of the
 * production environment (minified), raw and gzip. The bundle is written
 * beside the configuration (`.wrangler/`, git-ignored), never outside the
 * repository, and removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface SizeFigures {
  rawKiB: number;
  gzipKiB: number;
}

export function bundleSize(configPath: string): SizeFigures {
  const scratch = join(dirname(configPath), '.wrangler', 'tmp');
  mkdirSync(scratch, { recursive: true });
  const outdir = mkdtempSync(join(scratch, 'bench-bundle-'));
  try {
    execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--env', 'production', '--config', configPath, '--outdir', outdir], {
      stdio: 'ignore',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    });
    let raw = 0;
    let gzip = 0;
    for (const file of readdirSync(outdir).filter((name) => name.endsWith('.js') || name.endsWith('.mjs'))) {
      const bytes = readFileSync(join(outdir, file));
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    return { rawKiB: raw / 1024, gzipKiB: gzip / 1024 };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
