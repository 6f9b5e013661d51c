/**
 * Local (civil) dates as day numbers: whole days since 1970-01-01 in the
 * proleptic Gregorian calendar, independent of any time zone. Day arithmetic
 * on integers is exact and cheap, and it never touches `Date`, whose
 * `Date.UTC` reads years 0-99 as 1900-1999.
 */

/** Milliseconds in a 24-hour day. */
export const DAY_MS = 86_400_000;

/** The fields of a local date. */
export interface LocalDate {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** 1-31 */
  readonly day: number;
}

/** Day names in ISO order, Monday first, as calendars spell them. */
export const WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** A day of the week as calendars spell it (`"sat"`). */
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

/**
 * Day number of a local date (days since 1970-01-01). Months and days out of
 * range are not normalised; callers validate first.
 * @internal
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil: exact for every proleptic Gregorian year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The local date of a day number. @internal */
export function civilFromDays(days: number): LocalDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Number of days in a month of a year. @internal */
export function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

/** ISO weekday of a day number: 1 = Monday ... 7 = Sunday. @internal */
export function isoWeekday(days: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** The day name (`"sat"`) of a day number. @internal */
export function weekdayName(days: number): WeekdayName {
  return WEEKDAY_NAMES[isoWeekday(days) - 1]!;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parse `YYYY-MM-DD` to a day number; `undefined` when the text is not a real
 * date (`2026-02-30`).
 * @internal
 */
export function parseLocalDate(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

/** Format a day number as `YYYY-MM-DD`. @internal */
export function formatLocalDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Parse `HH:MM` (00:00-24:00) to minutes after midnight. @internal */
export function parseTimeOfDay(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}
