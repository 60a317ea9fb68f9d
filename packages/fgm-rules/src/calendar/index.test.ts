import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageInYears, eighteenthBirthday, isCalendarDate, isLeapYear, isUnder18, londonDate, readDateTime } from './index.ts';

describe('[H-03] londonDate', () => {
  it.each([
    ['2026-06-01T22:59:59.999Z', '2026-06-01', 'BST: 23:59:59 in London'],
    ['2026-06-01T23:00:00.000Z', '2026-06-02', 'BST: London midnight is 23:00 UTC'],
    ['2026-06-01T23:30:00.000Z', '2026-06-02', 'BST: 23:30 UTC on the eve is already the next day'],
    ['2026-01-15T23:30:00.000Z', '2026-01-15', 'GMT: 23:30 UTC is still the same day'],
    ['2026-01-15T00:00:00.000Z', '2026-01-15', 'GMT: midnight UTC is London midnight'],
    ['2026-03-29T00:59:59.000Z', '2026-03-29', 'the night clocks go forward'],
    ['2026-10-24T23:00:00.000Z', '2026-10-25', 'the night clocks go back (still BST)'],
    ['2026-10-25T23:00:00.000Z', '2026-10-25', 'after clocks go back (GMT)'],
  ])('%s is %s in London (%s)', (instant, date) => {
    expect(londonDate(new Date(instant))).toBe(date);
  });

  it('refuses an invalid Date (a programming error, not input)', () => {
    expect(() => londonDate(new Date(Number.NaN))).toThrow(RangeError);
  });

  /** The time-zone database's answer, formatted independently of the implementation. */
  const referenceFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric' });
  const reference = (time: number) => {
    const parts = referenceFormat.formatToParts(time);
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return `${String(part('year')).padStart(4, '0')}-${String(part('month')).padStart(2, '0')}-${String(part('day')).padStart(2, '0')}`;
  };

  it('agrees with the time-zone database at any instant, whether its hour was remembered or not (1800–2200)', () => {
    const instant = fc.integer({ min: Date.UTC(1800, 0, 1), max: Date.UTC(2200, 0, 1) });
    // Pairs in the same UTC hour exercise the remembered hour; the LMT years before 1847 (offset −0:01:15) must never be remembered wrongly.
    fc.assert(
      fc.property(instant, fc.integer({ min: -3_600_000, max: 3_600_000 }), (time, delta) => {
        expect(londonDate(new Date(time))).toBe(reference(time));
        expect(londonDate(new Date(time + delta))).toBe(reference(time + delta));
      }),
      { numRuns: 5000 },
    );
  });

  it('answers for the first and last instants a Date can hold', () => {
    for (const time of [-8.64e15, -8.64e15 + 1, 8.64e15 - 1, 8.64e15]) expect(londonDate(new Date(time))).toBe(reference(time));
  });

  it('is exact either side of every UTC hour of 1847 (the switch from local mean time), 2026 and 2028 (a leap year)', () => {
    for (const year of [1847, 2026, 2028]) {
      for (let top = Date.UTC(year, 0, 1); top < Date.UTC(year + 1, 0, 1); top += 3_600_000) {
        for (const t of [top - 1, top]) if (londonDate(new Date(t)) !== reference(t)) expect(londonDate(new Date(t))).toBe(reference(t));
      }
    }
  });
});

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01'])('%s is a date', (d) => expect(isCalendarDate(d)).toBe(true));
  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-1-1',
    '2026-01-01T00:00:00Z',
    '20260101',
    '0000-01-01',
    '',
    null,
    20260101,
  ])('%s is not', (d) => expect(isCalendarDate(d)).toBe(false));
});

describe('readDateTime: a real day or a real instant, nothing else (D-6, L-6, L-11.5)', () => {
  it.each([
    ['2024-05-01', { date: '2024-05-01', hasTime: false }],
    ['2024-02-29T00:00:00Z', { date: '2024-02-29', hasTime: true }],
    ['2024-05-01T23:59:59+14:00', { date: '2024-05-01', hasTime: true }],
    ['2024-05-01T00:00:00-14:00', { date: '2024-05-01', hasTime: true }],
    ['2024-05-01T23:30:00-05:00', { date: '2024-05-01', hasTime: true }],
    ['2024-05-01T12:00:00.5Z', { date: '2024-05-01', hasTime: true }],
    ['2024-05-01T12:00:00.123456789012345+13:59', { date: '2024-05-01', hasTime: true }],
    ['2024-05-01T12:00+01:00', { date: '2024-05-01', hasTime: true }],
    ['2024-05-01T12:00:00-00:00', { date: '2024-05-01', hasTime: true }],
  ])('[H-08] reads %s', (value, parts) => {
    expect(readDateTime(value)).toEqual(parts);
  });

  it.each([
    ['2024-05-01T99:99:99+99:99', 'nothing in range'],
    ['2024-05-01T24:00:00Z', 'hour 24 (not a FHIR time)'],
    ['2024-05-01T23:60:00Z', 'minute 60'],
    ['2024-05-01T23:59:60Z', 'second 60 (no leap second)'],
    ['2024-05-01T10:00:00+14:01', 'an offset past +14:00'],
    ['2024-05-01T10:00:00-14:01', 'an offset past -14:00'],
    ['2024-05-01T10:00:00+15:00', 'offset hours 15'],
    ['2024-05-01T10:00:00+05:60', 'offset minutes 60'],
    ['2024-05-01T10:00:00', 'a time without a time zone'],
    ['2024-05-01T10:00', 'hours and minutes without a time zone'],
    ['2024-05-01T10:00:00.Z', 'a fraction without digits'],
    ['2024-05-01T10:00:00,5Z', 'a comma fraction'],
    ['2024-05-01T10Z', 'an hour alone'],
    ['2024-05-01T1:00:00Z', 'a one-digit hour'],
    ['2024-05-01T10:00:00+0100', 'an offset without its colon'],
    ['2024-05-01T10:00:00+01', 'an offset without minutes'],
    ['2024-05-01t10:00:00z', 'lower-case t and z'],
    ['2024-05-01 10:00:00Z', 'a space for the T'],
    ['2024-05-01T', 'a T and no time'],
    ['2024-02-30T10:00:00Z', 'a day that does not exist'],
    ['2024-05', 'a month (no day)'],
    ['2024', 'a year (no day)'],
    ['', 'nothing'],
    [' 2024-05-01', 'a leading space'],
    ['2024-05-01T10:00:00Z\n', 'a trailing newline'],
  ])('[H-08] refuses %j (%s)', (value) => {
    expect(readDateTime(value)).toBeUndefined();
  });

  it.each([null, undefined, 20240501, {}, ['2024-05-01']])('refuses the non-string %j', (value) => {
    expect(readDateTime(value)).toBeUndefined();
  });

  const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));

  it('[H-08] property: an instant is read exactly when its hour, minute, second and offset are in range', () => {
    fc.assert(
      fc.property(
        two,
        two,
        fc.option(two),
        fc.constantFrom('', '.0', '.999999999999'),
        fc.oneof(
          fc.constant('Z'),
          fc.tuple(fc.constantFrom('+', '-'), two, two).map(([sign, h, m]) => `${sign}${h}:${m}`),
        ),
        (hour, minute, second, fraction, zone) => {
          const value = `2024-05-01T${hour}:${minute}${second === null ? '' : `:${second}${fraction}`}${zone}`;
          const [, offsetHours = '00', offsetMinutes = '00'] = /^[+-]([0-9]{2}):([0-9]{2})$/.exec(zone) ?? [];
          const offsetOk = Number(offsetHours) < 14 ? Number(offsetMinutes) <= 59 : offsetHours === '14' && offsetMinutes === '00';
          const real = Number(hour) <= 23 && Number(minute) <= 59 && (second === null || Number(second) <= 59) && offsetOk;
          expect(readDateTime(value)).toEqual(real ? { date: '2024-05-01', hasTime: true } : undefined);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('property: a value without a time is read exactly when it is a calendar date, as that date', () => {
    const dateLike = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.oneof(dateLike, fc.string()), (value) => {
        const parts = readDateTime(value);
        if (parts?.hasTime === true) expect(value.startsWith(`${parts.date}T`)).toBe(true);
        else expect(parts).toEqual(isCalendarDate(value) ? { date: value, hasTime: false } : undefined);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('[H-03] age rule (D-7)', () => {
  it('leap years', () => {
    expect([1900, 2000, 2024, 2026].map(isLeapYear)).toEqual([false, true, true, false]);
  });

  it.each([
    ['2008-11-21', '2026-11-21'],
    ['2008-02-29', '2026-03-01'],
    ['2004-02-29', '2022-03-01'],
    ['2010-02-28', '2028-02-28'],
    ['2006-02-28', '2024-02-28'],
  ])('born %s turns 18 on %s', (birth, turns18) => {
    expect(eighteenthBirthday(birth)).toBe(turns18);
  });

  it('a 29 February birthday turns 18 on 1 March (18 years after a leap year is never one)', () => {
    expect(eighteenthBirthday('2010-02-29')).toBeUndefined(); // not a date
    expect(eighteenthBirthday('2012-02-29')).toBe('2030-03-01');
    expect(eighteenthBirthday('2008-02-29')).toBe('2026-03-01');
    expect(eighteenthBirthday('2006-02-28')).toBe('2024-02-28');
    expect(eighteenthBirthday('1996-02-29')).toBe('2014-03-01');
    expect(eighteenthBirthday('2002-02-28')).toBe('2020-02-28');
  });

  it.each([
    ['2008-11-21', '2026-11-20', true, 'the day before the 18th birthday'],
    ['2008-11-21', '2026-11-21', false, 'on the 18th birthday'],
    ['2008-11-21', '2026-11-22', false, 'the day after'],
    ['2008-02-29', '2026-02-28', true, '29 Feb birthday, 28 Feb of a non-leap 18th year'],
    ['2008-02-29', '2026-03-01', false, '29 Feb birthday, 1 Mar of a non-leap 18th year'],
    ['2015-06-01', '2026-11-21', true, 'a child'],
    ['1990-07-04', '2026-11-21', false, 'an adult'],
    ['2026-11-21', '2026-11-21', true, 'born today'],
  ])('born %s, on %s under 18 is %s (%s)', (birth, today, expected) => {
    expect(isUnder18(birth, today)).toBe(expected);
  });

  it('a missing or partial birth date is not under 18', () => {
    expect(isUnder18(undefined, '2026-11-21')).toBe(false);
    expect(isUnder18('2015', '2026-11-21')).toBe(false);
    expect(isUnder18('2015-06', '2026-11-21')).toBe(false);
  });

  it('23:30 UTC on the eve of an 18th birthday in BST is the birthday in London', () => {
    const eve = new Date('2026-06-01T23:30:00.000Z');
    expect(isUnder18('2008-06-02', londonDate(eve))).toBe(false);
    expect(isUnder18('2008-06-02', londonDate(new Date('2026-06-01T22:59:00.000Z')))).toBe(true);
  });

  it.each([
    ['2008-11-21', '2026-11-20', 17],
    ['2008-11-21', '2026-11-21', 18],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
    ['2008-02-29', '2028-02-29', 20],
    ['2026-11-21', '2026-11-21', 0],
  ])('born %s is %i on %s', (birth, today, age) => {
    expect(ageInYears(birth, today)).toBe(age);
  });

  it('age agrees with the under-18 rule', () => {
    for (const birth of ['2008-02-29', '2008-03-01', '2008-11-21', '2008-12-31']) {
      for (let day = 0; day < 800; day++) {
        const today = new Date(Date.UTC(2025, 10, 1) + day * 86_400_000).toISOString().slice(0, 10);
        expect(isUnder18(birth, today)).toBe((ageInYears(birth, today) ?? 0) < 18);
      }
    }
  });
});
