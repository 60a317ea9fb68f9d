import { buildActiveFlag, catalogue } from '@fgm-is/rules';
import { describe, expect, it } from 'vitest';
import { clientError } from '../errors/index.ts';
import type { SearchValue } from '../r4/index.ts';
import { MAX_CACHE_AGE_MS, createFlagCache } from './index.ts';

const FLAG = buildActiveFlag({ id: 'f1', nhsNumber: '9000000009', assessmentDate: '2024-05-01', lastUpdated: '2026-01-01T00:00:00.000Z' });
const HOUR = 60 * 60 * 1000;

/** A register that answers from a script and counts the questions; a clock the test moves. */
function setUp(answers: Array<SearchValue | 'down'>) {
  let clock = new Date('2026-03-01T12:00:00Z');
  let asked = 0;
  const source = {
    async search() {
      const answer = answers[Math.min(asked, answers.length - 1)];
      asked += 1;
      return answer === 'down' || answer === undefined
        ? ({ ok: false, error: clientError(503, 'SERVICE_UNAVAILABLE', catalogue.SERVICE_UNAVAILABLE.diagnostics) } as const)
        : ({ ok: true, value: answer } as const);
    },
  };
  const cache = createFlagCache({ source, now: () => clock });
  return {
    cache,
    asked: () => asked,
    at: (iso: string) => {
      clock = new Date(iso);
    },
    advance: (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    },
  };
}

const child = { nhsNumber: '9000000009', birthDate: '2015-06-01' };

describe('createFlagCache (LSI v2.2)', () => {
  it('serves an answer from the cache for under 24 hours, then asks the register again', async () => {
    const t = setUp([{ flag: FLAG }]);
    expect(await t.cache.check(child)).toMatchObject({ ok: true, value: { flag: FLAG, fromCache: false } });
    t.advance(24 * HOUR - 1);
    expect(await t.cache.check(child)).toMatchObject({ ok: true, value: { flag: FLAG, fromCache: true, checkedAt: '2026-03-01T12:00:00.000Z' } });
    t.advance(1);
    expect(await t.cache.check(child)).toMatchObject({ ok: true, value: { fromCache: false } });
    expect(t.asked()).toBe(2);
  });

  it('a failed refresh is "could not be checked": the error, never the stale answer, and the entry is dropped', async () => {
    const t = setUp([{ flag: FLAG }, 'down', { flag: FLAG }]);
    await t.cache.check(child);
    t.advance(25 * HOUR);
    expect(await t.cache.check(child)).toEqual({
      ok: false,
      error: { status: 503, code: 'SERVICE_UNAVAILABLE', diagnostics: catalogue.SERVICE_UNAVAILABLE.diagnostics, retryable: true },
    });
    expect(t.cache.size).toBe(0);
  });

  it('a failed first check is an error too, never "no flag"', async () => {
    const t = setUp(['down']);
    const answer = await t.cache.check(child);
    expect(answer.ok).toBe(false);
  });

  it('holds nothing for a child of 18 or over: asks the register every time', async () => {
    const t = setUp([{ flag: null }]);
    const adult = { nhsNumber: '9000000033', birthDate: '1990-07-04' };
    await t.cache.check(adult);
    await t.cache.check(adult);
    expect(t.asked()).toBe(2);
    expect(t.cache.size).toBe(0);
  });

  it('stops serving at the start of the 18th birthday in Europe/London (BST: 23:00 UTC the day before)', async () => {
    const t = setUp([{ flag: FLAG }]);
    const turning18 = { nhsNumber: '9000000009', birthDate: '2008-06-01' };
    t.at('2026-05-31T12:00:00Z');
    await t.cache.check(turning18);
    t.at('2026-05-31T22:59:59Z'); // 23:59:59 in London on 31 May: still 17
    expect(await t.cache.check(turning18)).toMatchObject({ ok: true, value: { fromCache: true } });
    t.at('2026-05-31T23:00:00Z'); // midnight in London: 18 today
    expect(await t.cache.check(turning18)).toMatchObject({ ok: true, value: { fromCache: false } });
    expect(t.cache.size).toBe(0);
  });

  it('a 29 February birthday turns 18 on 1 March in a common year (D-7)', async () => {
    const t = setUp([{ flag: FLAG }]);
    const leapling = { nhsNumber: '9000000009', birthDate: '2008-02-29' };
    t.at('2026-02-28T12:00:00Z');
    await t.cache.check(leapling);
    t.at('2026-02-28T23:59:59Z'); // GMT: still 28 February in London
    expect(await t.cache.check(leapling)).toMatchObject({ ok: true, value: { fromCache: true } });
    t.at('2026-03-01T00:00:00Z');
    expect(await t.cache.check(leapling)).toMatchObject({ ok: true, value: { fromCache: false } });
  });

  it('holds nothing when the birth date is not a date', async () => {
    const t = setUp([{ flag: null }]);
    await t.cache.check({ nhsNumber: '9000000009', birthDate: 'unknown' });
    expect(t.cache.size).toBe(0);
  });

  it('forget and clear make the next check ask the register', async () => {
    const t = setUp([{ flag: null }]);
    await t.cache.check(child);
    t.cache.forget(child.nhsNumber);
    await t.cache.check(child);
    t.cache.clear();
    await t.cache.check(child);
    expect(t.asked()).toBe(3);
  });

  it.each([-1, MAX_CACHE_AGE_MS + 1, Number.NaN])('refuses a maximum age beyond 24 hours: %s', (maxAgeMs) => {
    expect(() => createFlagCache({ source: { search: async () => ({ ok: true, value: { flag: null } }) }, maxAgeMs })).toThrow(RangeError);
  });
});
