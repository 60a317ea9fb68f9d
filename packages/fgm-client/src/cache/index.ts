/**
 * A local cache of FGM-IS answers that keeps the FGM IS Local System
 * Integration Requirements v2.2 rule: a cached answer is served for at most
 * 24 hours, never for a child aged 18 or over, and a failed refresh is
 * "could not be checked", never the stale answer and never "no flag".
 */
import { type FgmFlag, type Result, eighteenthBirthday, isCalendarDate, isUnder18, londonDate } from '@fgm-is/rules';
import type { ClientError } from '../errors/index.ts';
import type { SearchValue } from '../r4/index.ts';

/** The longest an answer may be served from a local cache (LSI v2.2): 24 hours. */
export const MAX_CACHE_AGE_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** How the cache asks the register: an R4 client's `search` will do. */
export interface FlagSource {
  search(nhsNumber: string): Promise<Result<SearchValue, ClientError>>;
}

/** Settings of {@link createFlagCache}. */
export interface FlagCacheOptions {
  /** Where answers come from, usually the client: `createFlagCache({ source: client })`. */
  readonly source: FlagSource;
  /** How long an answer is served, at most {@link MAX_CACHE_AGE_MS} (the default). */
  readonly maxAgeMs?: number;
  /** The clock (for tests). Default: `() => new Date()`. */
  readonly now?: () => Date;
}

/** Who is being checked: the NHS number and the birth date the local record holds. */
export interface CacheQuery {
  readonly nhsNumber: string;
  /** `YYYY-MM-DD`. The cache never holds an answer for a child aged 18 or over (Europe/London dates). */
  readonly birthDate: string;
}

/** An answer, and whether it came from the cache and when the register gave it. */
export interface CachedAnswer {
  readonly flag: FgmFlag | null;
  /** When the register gave this answer (ISO instant). */
  readonly checkedAt: string;
  readonly fromCache: boolean;
}

/** The cache. */
export interface FlagCache {
  /**
   * The child's flag: from the cache while the answer is under the maximum
   * age and the child under 18, else from the register. An error from the
   * register drops what was cached and is returned as it is: show "could not
   * be checked", never a stale answer.
   */
  check(query: CacheQuery): Promise<Result<CachedAnswer, ClientError>>;
  /** Forgets a child's answer: call it after an Add or Remove for that child. */
  forget(nhsNumber: string): void;
  /** Forgets everything. */
  clear(): void;
  /** How many answers are held (for tests and metrics). */
  readonly size: number;
}

interface Entry {
  readonly flag: FgmFlag | null;
  readonly checkedAt: Date;
  /** The first instant it may no longer be served: 24 h after it was fetched, or the child's 18th birthday if sooner. */
  readonly expiresAt: number;
}

/**
 * Creates a cache of search answers under the LSI v2.2 rule.
 *
 * @example
 * const cache = createFlagCache({ source: client });
 * const answer = await cache.check({ nhsNumber: '9000000009', birthDate: '2015-06-01' });
 * if (!answer.ok) showCouldNotBeChecked(answer.error); // never "no flag"
 */
export function createFlagCache(options: FlagCacheOptions): FlagCache {
  const maxAgeMs = options.maxAgeMs ?? MAX_CACHE_AGE_MS;
  if (!(maxAgeMs >= 0 && maxAgeMs <= MAX_CACHE_AGE_MS)) throw new RangeError(`maxAgeMs must be between 0 and ${MAX_CACHE_AGE_MS} (24 hours)`);
  const now = options.now ?? (() => new Date());
  const entries = new Map<string, Entry>();

  /**
   * The instant the child's 18th birthday starts in Europe/London, or 0 when the birth date is unusable. London is
   * UTC+0 or UTC+1, so that day starts at 00:00 UTC, or at 23:00 UTC the day before when it is already the birthday then.
   */
  const agesOutAt = (birthDate: string): number => {
    const birthday = isCalendarDate(birthDate) ? eighteenthBirthday(birthDate) : undefined;
    if (birthday === undefined) return 0;
    const midnightUtc = Date.parse(`${birthday}T00:00:00Z`);
    return londonDate(new Date(midnightUtc - HOUR_MS)) === birthday ? midnightUtc - HOUR_MS : midnightUtc;
  };

  return {
    async check(query) {
      const instant = now();
      const under18 = isCalendarDate(query.birthDate) && isUnder18(query.birthDate, londonDate(instant));
      const held = entries.get(query.nhsNumber);
      if (held !== undefined && under18 && instant.getTime() < held.expiresAt) {
        return { ok: true, value: { flag: held.flag, checkedAt: held.checkedAt.toISOString(), fromCache: true } };
      }
      entries.delete(query.nhsNumber);
      const answer = await options.source.search(query.nhsNumber);
      if (!answer.ok) return answer;
      const checkedAt = now();
      if (under18 && maxAgeMs > 0) {
        const expiresAt = Math.min(checkedAt.getTime() + maxAgeMs, agesOutAt(query.birthDate));
        entries.set(query.nhsNumber, { flag: answer.value.flag, checkedAt, expiresAt });
      }
      return { ok: true, value: { flag: answer.value.flag, checkedAt: checkedAt.toISOString(), fromCache: false } };
    },
    forget(nhsNumber) {
      entries.delete(nhsNumber);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
