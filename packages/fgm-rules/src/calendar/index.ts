/**
 * Calendar rules: today's date in Europe/London, calendar-date checks and
 * the age rule (D-7, D-13). Dates are ISO `YYYY-MM-DD` strings, which
 * compare correctly as strings.
 */

/** The time zone whose calendar decides ages and assessment dates. */
export const SERVICE_TIME_ZONE = 'Europe/London';

const CALENDAR_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

let londonFormatter: Intl.DateTimeFormat | undefined;

/** @internal The London date of a time value, formatted by the runtime's time-zone data. */
function formatLondonDate(time: number): string {
  londonFormatter ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: SERVICE_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  let year = '';
  let month = '';
  let day = '';
  for (const part of londonFormatter.formatToParts(time)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

const HOUR_MS = 3_600_000;
/** The largest time value a Date can hold. */
const MAX_TIME = 8.64e15;

/**
 * @internal The last UTC hour whose instants all fall on one London date, and
 * that date. A memo of a pure function (same instant, same answer): no clock.
 */
let memo: { hour: number; date: string } | undefined;

/**
 * The calendar date (`YYYY-MM-DD`) in Europe/London at an instant.
 *
 * The time-zone database decides it (so a change in UK law arrives with the
 * runtime's tz data, never hand-coded here). London's offset from UTC has
 * been a whole number of hours since 1968, so its midnight falls on a UTC
 * hour boundary and a whole UTC hour has one London date: the answer is
 * remembered per UTC hour once both ends of that hour are seen to agree, and
 * the service, asking about "now" on every request, formats about once an
 * hour.
 *
 * @param instant The injected "now"; must be a valid Date.
 */
export function londonDate(instant: Date): string {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError('londonDate needs a valid Date');
  const hour = Math.floor(time / HOUR_MS);
  if (memo?.hour === hour) return memo.date;
  const date = formatLondonDate(time);
  const start = hour * HOUR_MS;
  const end = start + HOUR_MS - 1;
  // The last hour a Date can hold (±8.64e15 ms) has no formattable end: it is simply not remembered.
  if (end <= MAX_TIME && formatLondonDate(start) === date && formatLondonDate(end) === date) memo = { hour, date };
  return date;
}

/** Whether a year is a leap year in the proleptic Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** @internal Days in a month (1-based) of a year. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether a value is a real calendar date written exactly `YYYY-MM-DD`. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * @internal A full-date FHIR dateTime: the date, then optionally a time
 * (hour, minute, optional seconds with any number of fraction digits) that
 * must carry a time zone. Linear: no two parts can match the same text.
 */
const DATE_TIME = /^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?(?:Z|[+-]([0-9]{2}):([0-9]{2})))?$/;

/** What {@link readDateTime} reads from a dateTime: the calendar date it names, and whether it gave a time of day. */
export interface DateTimeParts {
  /** The calendar date (`YYYY-MM-DD`), in the dateTime's own offset. */
  readonly date: string;
  /** Whether a time (and so a time zone) followed the date. */
  readonly hasTime: boolean;
}

/**
 * Reads a FHIR `dateTime` that names a whole day or an instant: the one
 * check of dates and dateTimes on both channels (R4 D-6, legacy L-6 and
 * L-11.5).
 *
 * Accepted: a real calendar date `YYYY-MM-DD` (as {@link isCalendarDate}),
 * optionally followed by `Thh:mm`, optional `:ss` and an optional fraction of
 * any number of digits (as FHIR allows), then a time zone `Z` or `±hh:mm`,
 * which FHIR requires whenever a time is given. Hour 00–23 (24:00 is not a
 * FHIR time), minute and second 00–59 (FHIR DSTU2 has no leap second), and an
 * offset from −14:00 to +14:00 with minutes 00–59. Seconds may be left out,
 * as the legacy channel always allowed. Partial dates (`YYYY`, `YYYY-MM`)
 * name no day and are not read. A caller that takes only a date (R4 D-6)
 * refuses `hasTime`.
 *
 * @returns the date (in the dateTime's own offset) and whether a time was
 *   given, or `undefined` when the value is no such dateTime.
 */
export function readDateTime(value: unknown): DateTimeParts | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DATE_TIME.exec(value);
  const date = match?.[1];
  if (!match || date === undefined || !isCalendarDate(date)) return undefined;
  const [, , hour, minute, second, offsetHours, offsetMinutes] = match;
  if (hour === undefined) return { date, hasTime: false };
  if (Number(hour) > 23 || Number(minute) > 59 || (second !== undefined && Number(second) > 59)) return undefined;
  if (offsetHours !== undefined) {
    const hours = Number(offsetHours);
    const minutes = Number(offsetMinutes);
    if (minutes > 59 || hours > 14 || (hours === 14 && minutes !== 0)) return undefined;
  }
  return { date, hasTime: true };
}

/**
 * The date a person born on `birthDate` turns 18 (D-7, D-13). A 29 February
 * birthday turns 18 on 1 March when the 18th year is not a leap year.
 *
 * @returns the date, or `undefined` when `birthDate` is not a calendar date.
 */
export function eighteenthBirthday(birthDate: string): string | undefined {
  if (!isCalendarDate(birthDate)) return undefined;
  const year = Number(birthDate.slice(0, 4)) + 18;
  const monthDay = birthDate.slice(5);
  const yyyy = String(year).padStart(4, '0');
  if (monthDay === '02-29' && !isLeapYear(year)) return `${yyyy}-03-01`;
  return `${yyyy}-${monthDay}`;
}

/**
 * Age in whole years on `today` (both `YYYY-MM-DD`). A 29 February birthday
 * is reached on 1 March in non-leap years, consistent with {@link eighteenthBirthday}.
 *
 * @returns the age, or `undefined` when either date is not a calendar date or `today` precedes `birthDate`.
 */
export function ageInYears(birthDate: string, today: string): number | undefined {
  if (!isCalendarDate(birthDate) || !isCalendarDate(today) || today < birthDate) return undefined;
  const birthYear = Number(birthDate.slice(0, 4));
  const thisYear = Number(today.slice(0, 4));
  let birthdayThisYear = birthDate.slice(5);
  if (birthdayThisYear === '02-29' && !isLeapYear(thisYear)) birthdayThisYear = '03-01';
  return thisYear - birthYear - (today.slice(5) < birthdayThisYear ? 1 : 0);
}

/**
 * Whether a patient is under 18 on `today` (D-7): false on and after the 18th
 * birthday, and false when the birth date is missing or not a calendar date.
 */
export function isUnder18(birthDate: string | undefined, today: string): boolean {
  if (birthDate === undefined) return false;
  const turns18 = eighteenthBirthday(birthDate);
  return turns18 !== undefined && today < turns18;
}
