/**
 * Occurrences of a schedule on a business calendar: "every working Friday at
 * 16:00", "the 5th of each month, or the next working day". Pure functions
 * of (spec, calendar, instant); the runtime stores only the next occurrence.
 */
import { EvaluationError, ValidationError } from "../core/errors.js";
import { checkScheduleSpec, scheduleSpecSchema, weekdayOf, type ScheduleSpec, type ScheduleSpecDefinition } from "../schema/schedule.js";
import { fromZodIssues } from "../schema/issues.js";
import { catalogueIssue } from "../i18n/issues.js";
import { calendarMessages } from "../i18n/messages/calendar.js";
import { BUILTIN_CALENDAR_IDS, type BuiltinCalendarId } from "../schema/calendar.js";
import type { BusinessCalendar } from "../core/calendar.js";
import { getBuiltinCalendar } from "./builtins.js";
import { daysInMonth, civilFromDays, formatLocalDate, parseTimeOfDay, weekdayName } from "../core/local-date.js";
import { getZoneRules } from "../core/time-zone.js";

/** The longest run of non-working days a move to the next or previous working day crosses. */
const MAX_MOVE_DAYS = 31;
/** How far ahead an occurrence is searched for before the spec is declared to have none. */
const MAX_SEARCH_DAYS = 800;

/** A compiled schedule: its occurrences as epoch milliseconds. */
export interface Recurrence {
  /** The validated spec. */
  readonly spec: ScheduleSpec;
  /** The calendar whose time zone and working days apply. */
  readonly calendar: BusinessCalendar;
  /**
   * The first occurrence strictly after `after`.
   * @throws {@link CalendarCoverageError} when deciding needs a year the calendar has no holiday data for
   */
  next(after: number): number;
  /** The next `count` occurrences strictly after `after`, in order. */
  upcoming(after: number, count: number): number[];
  /** The local date-time of an occurrence in the calendar's zone, `YYYY-MM-DDTHH:MM`. */
  localTime(occurrence: number): string;
}

/**
 * Compile a schedule spec against a calendar (a compiled one, or a built-in
 * id such as `"cn-mainland"`).
 *
 * @param spec - the recurrence, as on a workflow trigger's `schedule`
 * @param calendar - its calendar; default: `spec.calendar` (a built-in id)
 * @returns the recurrence: `next`, `upcoming`, `localTime`
 * @throws {@link ValidationError} for a bad spec, every problem with its path
 * @example
 * ```ts
 * const fridays = compileRecurrence({ every: "week", on: ["friday"], at: "16:00", calendar: "cn-mainland", ifNotWorkday: "skip" });
 * fridays.upcoming(Date.parse("2026-02-10T00:00:00+08:00"), 2).map((t) => new Date(t).toISOString());
 * // ["2026-02-13T08:00:00.000Z", "2026-02-27T08:00:00.000Z"]: Friday 20 February is in the Spring Festival holiday
 * ```
 * @see docs/schedules.md
 */
export function compileRecurrence(spec: ScheduleSpecDefinition, calendar?: BusinessCalendar | string): Recurrence {
  const parsed = scheduleSpecSchema.safeParse(spec, { reportInput: true });
  if (!parsed.success) throw new ValidationError(fromZodIssues(parsed.error.issues), "schedule");
  const s = parsed.data;
  const issues: ReturnType<typeof fromZodIssues> = [];
  const calendarId = typeof calendar === "string" ? calendar : calendar?.id;
  checkScheduleSpec(s, calendarId, [], issues);
  if (issues.length) throw new ValidationError(issues, "schedule");
  let cal: BusinessCalendar;
  if (calendar !== undefined && typeof calendar !== "string") cal = calendar;
  else {
    const id = calendarId ?? s.calendar!;
    if (!(BUILTIN_CALENDAR_IDS as readonly string[]).includes(id)) {
      throw new ValidationError([catalogueIssue(calendarMessages, "unknownCalendar", ["calendar"], { id, "builtins[]": JSON.stringify(BUILTIN_CALENDAR_IDS) }, "unknown_calendar")], "schedule");
    }
    cal = getBuiltinCalendar(id as BuiltinCalendarId);
  }
  return recurrenceOf(s, cal);
}

/** Build the recurrence of a validated spec. @internal */
export function recurrenceOf(spec: ScheduleSpec, calendar: BusinessCalendar): Recurrence {
  const zone = getZoneRules(calendar.timeZone);
  const atMs = parseTimeOfDay(spec.at) * 60_000;
  const days = new Set(spec.on?.map(weekdayOf));
  const instant = (day: number): number => zone.toInstant(day, atMs);
  // Noon is inside the local day whatever a daylight-saving jump does to `at`.
  const isWork = (day: number): boolean => calendar.isWorkday(zone.toInstant(day, 12 * 3_600_000));

  const nominal = (day: number): boolean => {
    if (spec.every === "day") return true;
    if (spec.every === "week") return days.has(weekdayName(day));
    const { year, month, day: dom } = civilFromDays(day);
    return dom === Math.min(spec.day!, daysInMonth(year, month));
  };

  const move = (day: number, step: 1 | -1): number => {
    for (let d = day, n = 0; n <= MAX_MOVE_DAYS; d += step, n++) if (isWork(d)) return d;
    throw new EvaluationError(
      `calendar "${calendar.id}" has no working day within ${MAX_MOVE_DAYS} days ${step === 1 ? "after" : "before"} ${formatLocalDate(day)}; check its weekend and holidays`,
    );
  };

  /** The local day an occurrence due on nominal `day` happens, or undefined when it is skipped. */
  const moved = (day: number): number | undefined => {
    switch (spec.ifNotWorkday) {
      case "run":
        return day;
      case "skip":
        return isWork(day) ? day : undefined;
      case "next":
        return isWork(day) ? day : move(day, 1);
      case "previous":
        return isWork(day) ? day : move(day, -1);
    }
  };

  const next = (after: number): number => {
    const afterDay = zone.localDayOf(after);
    let start = afterDay;
    // Nominal days just before `afterDay` that are not working days move forward, possibly past `after`.
    if (spec.ifNotWorkday === "next") while (afterDay - start < MAX_MOVE_DAYS && !isWork(start - 1)) start--;
    for (let d = start; d <= afterDay + MAX_SEARCH_DAYS; d++) {
      if (!nominal(d)) continue;
      const m = moved(d);
      // `moved` never decreases with `d`, so the first one after `after` is the earliest.
      if (m !== undefined && instant(m) > after) return instant(m);
    }
    throw new EvaluationError(
      `the schedule ${JSON.stringify(spec)} has no occurrence within ${MAX_SEARCH_DAYS} days after ${new Date(after).toISOString()} on calendar "${calendar.id}"`,
    );
  };

  return {
    spec,
    calendar,
    next,
    upcoming(after, count) {
      const out: number[] = [];
      let t = after;
      for (let i = 0; i < count; i++) out.push((t = next(t)));
      return out;
    },
    localTime(occurrence) {
      const local = zone.toLocal(occurrence);
      return `${formatLocalDate(zone.localDayOf(occurrence))}T${String(local.hour).padStart(2, "0")}:${String(local.minute).padStart(2, "0")}`;
    },
  };
}
