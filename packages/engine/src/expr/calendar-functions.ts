/**
 * Working-day functions of expressions, on the business calendar the
 * definition names (`"calendar": "cn-mainland"`). Using one in a definition
 * without a calendar is a load-time error; a date in a year the calendar has
 * no holiday data for is a {@link CalendarCoverageError}, never a guess.
 *
 * Days are the calendar's local days: a date string without a time
 * (`"2026-02-13"`) is that day of the calendar; an instant is read on the
 * calendar's wall clock.
 */
import type { BusinessCalendar } from "../core/calendar.js";
import { formatLocalDate, parseLocalDate } from "../core/local-date.js";
import { getZoneRules } from "../core/time-zone.js";
import { EvaluationError } from "../core/errors.js";
import type { FunctionSpec } from "./function-spec.js";
import { calendarProblemAtCompile, currentTimeContext } from "./time-context.js";
import { instantArg } from "./time-functions.js";
import { describeType } from "./values.js";

const HOUR_MS = 3_600_000;
const NOON_MS = 12 * HOUR_MS;
/** Longest walk over days, about a century: a calendar with no working day in that long is refused. */
const MAX_DAYS = 36_600;

function fail(fn: string, message: string): never {
  throw new EvaluationError(`${fn}(): ${message}`);
}

function calendarFor(fn: string): BusinessCalendar {
  const context = currentTimeContext();
  if (context?.calendar) return context.calendar;
  if (context) fail(fn, `${context.settings.kind} "${context.settings.id}" names no calendar; add "calendar": "cn-mainland" (or the id of a calendar definition)`);
  return fail(fn, 'a standalone expression has no business calendar; use it in a rule set, decision table or promotion that names a "calendar"');
}

/** A day of the calendar: its local day number and a way to ask whether it is worked. */
interface Days {
  readonly calendar: BusinessCalendar;
  dayOf(fn: string, v: unknown): number | null;
  isWorkday(day: number): boolean;
}

function days(fn: string): Days {
  const calendar = calendarFor(fn);
  const zone = getZoneRules(calendar.timeZone);
  return {
    calendar,
    dayOf(name, v) {
      if (typeof v === "string" && v.length === 10) {
        const day = parseLocalDate(v);
        if (day !== undefined) return day;
      }
      const t = instantArg(name, v);
      return t === null ? null : zone.localDayOf(t);
    },
    // Noon is inside the day whatever daylight saving does at either end of it.
    isWorkday: (day) => calendar.isWorkday(zone.toInstant(day, NOON_MS)),
  };
}

function checkSpan(fn: string, from: number, to: number): void {
  if (Math.abs(to - from) > MAX_DAYS) fail(fn, `the dates are ${Math.abs(to - from)} days apart; working days are counted over at most ${MAX_DAYS} days`);
}

/** Working days in `(from, to]`, negative when `to` is before `from`. */
function countWorkdays(d: Days, from: number, to: number): number {
  if (to < from) return -countWorkdays(d, to, from);
  let n = 0;
  for (let day = from + 1; day <= to; day++) if (d.isWorkday(day)) n++;
  return n;
}

function addWorkdays(d: Days, start: number, n: number): number {
  const step = n < 0 ? -1 : 1;
  let day = start;
  if (n === 0) {
    for (let k = 0; !d.isWorkday(day); k++, day++) if (k > MAX_DAYS) fail("addWorkdays", `calendar "${d.calendar.id}" has no working day after ${formatLocalDate(start)}`);
    return day;
  }
  for (let left = Math.abs(n), idle = 0; left > 0; ) {
    day += step;
    if (d.isWorkday(day)) {
      left--;
      idle = 0;
    } else if (++idle > MAX_DAYS) fail("addWorkdays", `calendar "${d.calendar.id}" has no working day near ${formatLocalDate(day)}`);
  }
  return day;
}

const needsCalendar = (fn: string) => () => calendarProblemAtCompile(fn);

/** The working-day functions, by name. @internal */
export const CALENDAR_FUNCTIONS = {
  isWorkday: {
    minArgs: 1,
    maxArgs: 1,
    doc: "isWorkday(date): true when the date (or the instant's local date) is a working day of the definition's calendar",
    checkContext: needsCalendar("isWorkday"),
    call: ([x]) => {
      const d = days("isWorkday");
      const day = d.dayOf("isWorkday", x);
      return day === null ? null : d.isWorkday(day);
    },
  },
  workdaysBetween: {
    minArgs: 2,
    maxArgs: 2,
    doc: "workdaysBetween(from, to): working days after from's date up to and including to's date (negative when to is earlier)",
    checkContext: needsCalendar("workdaysBetween"),
    call: ([a, b]) => {
      const d = days("workdaysBetween");
      const from = d.dayOf("workdaysBetween", a);
      const to = d.dayOf("workdaysBetween", b);
      if (from === null || to === null) return null;
      checkSpan("workdaysBetween", from, to);
      return countWorkdays(d, from, to);
    },
  },
  addWorkdays: {
    minArgs: 2,
    maxArgs: 2,
    doc: "addWorkdays(date, n): the date (YYYY-MM-DD) n working days after date (before when n < 0); n = 0 gives date itself when it is worked, else the next working day",
    checkContext: needsCalendar("addWorkdays"),
    call: ([x, k]) => {
      const d = days("addWorkdays");
      const start = d.dayOf("addWorkdays", x);
      if (k === null || k === undefined || start === null) return null;
      if (typeof k !== "number" || !Number.isInteger(k)) fail("addWorkdays", `n must be a whole number of working days, got ${describeType(k)} ${JSON.stringify(k)}`);
      if (Math.abs(k) > MAX_DAYS) fail("addWorkdays", `n must be at most ${MAX_DAYS} working days either way, got ${k}`);
      return formatLocalDate(addWorkdays(d, start, k));
    },
  },
  isWorkingTime: {
    minArgs: 1,
    maxArgs: 1,
    doc: "isWorkingTime(t): true when the instant t falls inside the calendar's working hours on a working day",
    checkContext: needsCalendar("isWorkingTime"),
    call: ([x]) => {
      const calendar = calendarFor("isWorkingTime");
      const t = instantArg("isWorkingTime", x);
      return t === null ? null : calendar.isWorkingTime(t);
    },
  },
  businessHoursBetween: {
    minArgs: 2,
    maxArgs: 2,
    doc: "businessHoursBetween(from, to): working hours of the calendar between two instants, exact (1.5 is 90 minutes; negative when to is earlier)",
    checkContext: needsCalendar("businessHoursBetween"),
    call: ([a, b]) => {
      const calendar = calendarFor("businessHoursBetween");
      const x = instantArg("businessHoursBetween", a);
      const y = instantArg("businessHoursBetween", b);
      if (x === null || y === null) return null;
      if (Math.abs(y - x) > MAX_DAYS * 86_400_000) fail("businessHoursBetween", `the instants are more than ${MAX_DAYS} days apart`);
      return calendar.businessTimeBetween(x, y) / HOUR_MS;
    },
  },
} satisfies Record<string, FunctionSpec>;
