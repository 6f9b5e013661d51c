/** The error a calendar throws instead of guessing about a year it has no data for. */
import { RuleflowError } from "../errors.js";

/** The years whose holidays and make-up workdays a calendar knows, inclusive. */
export interface CalendarCoverage {
  readonly from: number;
  readonly to: number;
}

/**
 * A calculation needed to know whether a date is a working day, but the
 * calendar has no holiday data for that year (for the built-in `cn-mainland`
 * calendar: the State Council has not published that year's arrangement yet,
 * or it predates the data shipped). Nothing is guessed.
 *
 * Fix it by extending the calendar with that year's `holidays` and
 * `workdays` and widening `coverage`.
 *
 * @example
 * ```ts
 * try {
 *   getBuiltinCalendar("cn-mainland").isWorkday(Date.parse("2030-03-01T10:00:00+08:00"));
 * } catch (e) {
 *   if (isRuleflowError(e) && e.code === "CALENDAR_COVERAGE") console.log(e.message);
 * }
 * ```
 * @see docs/calendars.md
 */
export class CalendarCoverageError extends RuleflowError {
  /** Id of the calendar asked. */
  readonly calendarId: string;
  /** The year it has no data for. */
  readonly year: number;
  /** The years it does cover. */
  readonly coverage: CalendarCoverage;

  constructor(calendarId: string, year: number, coverage: CalendarCoverage) {
    const range = coverage.from === coverage.to ? `${coverage.from}` : `${coverage.from}-${coverage.to}`;
    super(
      "CALENDAR_COVERAGE",
      `Calendar "${calendarId}" has no holiday data for ${year} (it covers ${range}), so it cannot tell which days of ${year} are working days. ` +
        `Extend it with the ${year} holidays and workdays and set coverage.to (or coverage.from) to include ${year}.`,
    );
    this.name = "CalendarCoverageError";
    this.calendarId = calendarId;
    this.year = year;
    this.coverage = coverage;
  }
}
