/**
 * This release of the API: its version (from package.json) and the date it
 * was published, shown in the CapabilityStatement (`date`) and the health
 * check. A test keeps both in step with the top entry of CHANGELOG.md.
 */
// A named import, so the bundle takes the version and not the whole manifest (scripts, dependencies, exports).
import { version } from '../package.json';

/** The API's version and release date (`YYYY-MM-DD`). */
export const RELEASE = { version, date: '2026-11-22' } as const;
