/**
 * The deployable bundle's size, from `wrangler deploy --dry-run` of the
 * production environment (minified), raw and gzip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface SizeFigures {
  rawKiB: number;
  gzipKiB: number;
}

export function bundleSize(configPath: string): SizeFigures {
  const outdir = mkdtempSync(join(tmpdir(), 'fgm-bundle-'));
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
