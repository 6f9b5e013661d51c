/**
 * What a business calendar answers: working days and working hours as pure
 * functions on epoch milliseconds. The calendar layer compiles calendar
 * documents into it; expressions (`isWorkday`, `addWorkdays`, ...) and the
 * time context of a definition only hold it, so they need not import the
 * calendar layer.
 *
 * Part of the leaf core: imports nothing else of the engine.
 */
import type { Duration } from "./duration.js";
import type { CalendarCoverage } from "./errors.js";

/** Options of {@link BusinessCalendar.addDuration}. */
export interface AddDurationOptions {
  /**
   * `true`: days and weeks are business days, hours, minutes and seconds are
   * business hours. `false` (default): calendar time in the calendar's zone.
   */
  business?: boolean | undefined;
}

/**
 * Working days and working hours of a calendar, as pure functions on epoch
 * milliseconds. Every function that has to know whether a date in a year
 * outside `coverage` is a working day throws {@link CalendarCoverageError}.
 *
 * @see docs/calendars.md
 */
export interface BusinessCalendar {
  readonly id: string;
  /** IANA zone in which dates and working hours are read. */
  readonly timeZone: string;
  /** Years with known holidays; `undefined` means every year. */
  readonly coverage: CalendarCoverage | undefined;
  /** Whether the local date of `ms` is a working day (make-up workdays are; holidays and the weekend are not). */
  isWorkday(ms: number): boolean;
  /** Whether `ms` is inside a working span `[start, end)` of a working day: 09:00 is, 12:00 and 18:00 are not. */
  isWorkingTime(ms: number): boolean;
  /** `ms` when it is working time, else the start of the next working span. */
  nextWorkingInstant(ms: number): number;
  /**
   * The earliest instant by which `durationMs` (>= 0) of working time has
   * elapsed since `ms`: inside a working span, or exactly at the end of one
   * (a span ending at 18:00 gives 18:00, not 09:00 next morning). Zero returns `ms`.
   */
  addBusinessTime(ms: number, durationMs: number): number;
  /**
   * The same local time of day on the `days`-th working day after the start
   * day, where the start is the next working instant (`ms` itself when it is
   * working time). `days` is a whole number >= 0; 0 gives the next working instant.
   */
  addBusinessDays(ms: number, days: number): number;
  /**
   * Add an ISO-8601 duration. Calendar time (default): years, months, weeks
   * and days move the local date keeping the local time (`P1D` is the same
   * wall-clock time tomorrow, across daylight-saving changes), then hours,
   * minutes and seconds are added as elapsed time. Business time
   * (`{ business: true }`): weeks and days are business days (a week counts
   * as the working days of a normal week, 5 with a Saturday-Sunday weekend),
   * applied first with {@link BusinessCalendar.addBusinessDays}; then hours,
   * minutes and seconds are business time ({@link BusinessCalendar.addBusinessTime}).
   * Years and months are refused in business mode.
   */
  addDuration(ms: number, duration: string | Duration, options?: AddDurationOptions): number;
  /** Working time in `[a, b)` in milliseconds; negative when `b < a`. */
  businessTimeBetween(a: number, b: number): number;
}
