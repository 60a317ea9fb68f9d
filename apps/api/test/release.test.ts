import { describe, expect, it } from 'vitest';
import changelog from '../../../CHANGELOG.md?raw';
import rulesPackage from '../../../packages/fgm-rules/package.json' with { type: 'json' };
import { RELEASE } from '../src/release.ts';
import { call } from './support/http.ts';

/** The top released entry of CHANGELOG.md: `## [version] - date`. */
const top = /^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/m.exec(changelog);

describe('the release the API reports is the top entry of CHANGELOG.md', () => {
  it('version and date match, and the rules package is released with the same version', () => {
    expect(top?.slice(1)).toEqual([RELEASE.version, RELEASE.date]);
    expect(rulesPackage.version).toBe(RELEASE.version);
  });

  it('/metadata and /_status report it', async () => {
    const metadata = (await (await call('/metadata')).json()) as { version?: string; software?: { version?: string }; date?: string };
    expect(metadata.software?.version ?? metadata.version).toBe(RELEASE.version);
    expect(metadata.date?.slice(0, 10)).toBe(RELEASE.date);
    const status = (await (await call('/_status')).json()) as { version?: string };
    expect(status.version).toBe(RELEASE.version);
  });
});
