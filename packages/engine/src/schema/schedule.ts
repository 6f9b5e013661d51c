/**
 * Schema of a workflow's scheduled trigger: a recurrence on a business
 * calendar ("every working Friday at 16:00", "the 5th of each month, or the
 * next working day"). Shape is checked by zod; the rules that tie fields
 * together (a weekly schedule needs `on`, a monthly one `day`, a calendar
 * must be named) by {@link checkScheduleSpec}, so every problem is reported
 * at once with its path.
 */
import { z } from "zod";
import type { Issue } from "../core/errors.js";
import { catalogueIssue } from "../i18n/issues.js";
import { calendarMessages as M } from "../i18n/messages/calendar.js";
import { WEEKDAY_NAMES, type WeekdayName } from "../core/local-date.js";

const FULL_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

/** A day of the week: `"friday"` or, as calendars spell it, `"fri"`. */
export const scheduleWeekdaySchema = z.enum([...FULL_WEEKDAYS, ...WEEKDAY_NAMES], {
  error: `expected a day of the week: ${FULL_WEEKDAYS.join(", ")} (or mon ... sun)`,
});

/** What a schedule does on an occurrence that falls on a non-working day of its calendar. */
const IF_NOT_WORKDAY = ["skip", "next", "previous", "run"] as const;

/**
 * A recurrence on a business calendar, in the calendar's time zone.
 *
 * @example
 * ```json
 * { "every": "week", "on": ["friday"], "at": "16:00", "calendar": "cn-mainland", "ifNotWorkday": "skip" }
 * { "every": "month", "day": 5, "at": "09:00", "calendar": "cn-mainland", "ifNotWorkday": "next" }
 * ```
 */
export const scheduleSpecSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z][\w-]{0,63}$/, { error: "expected a schedule id of letters, digits, '_' or '-', starting with a letter" })
      .optional()
      .meta({ description: "Names the schedule inside the workflow (default: its trigger's position). Keep it stable across versions." }),
    every: z.enum(["day", "week", "month"], { error: 'expected "day", "week" or "month"' }),
    on: z.array(scheduleWeekdaySchema).min(1, { error: "name at least one day of the week" }).optional().meta({ description: 'Weekly: the days of the week, e.g. ["friday"].' }),
    day: z
      .int({ error: "expected a day of the month from 1 to 31" })
      .min(1, { error: "expected a day of the month from 1 to 31" })
      .max(31, { error: "expected a day of the month from 1 to 31" })
      .optional()
      .meta({ description: "Monthly: the day of the month. Past a short month's end it means the month's last day (31 = the last day of every month)." }),
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a local time "HH:MM" from 00:00 to 23:59, such as "16:00"' })
      .meta({ description: "Local time of day in the calendar's time zone." }),
    calendar: z.string().min(1).optional().meta({ description: "Business calendar id (default: the workflow's calendar). Its time zone and working days apply." }),
    ifNotWorkday: z
      .enum(IF_NOT_WORKDAY, { error: 'expected "skip", "next", "previous" or "run"' })
      .meta({
        description:
          "When the day is not a working day: skip it, move to the next or previous working day (same time), or run anyway. Required, so nobody has to guess.",
      }),
    catchUp: z
      .enum(["each", "latest"], { error: 'expected "each" or "latest"' })
      .default("each")
      .meta({ description: "Occurrences missed while no engine ran: start each once, in order (default), or only the latest." }),
  })
  .meta({ id: "ScheduleSpec", title: "Recurrence on a business calendar" });

/** A schedule spec as written. */
export type ScheduleSpecDefinition = z.input<typeof scheduleSpecSchema>;
/** A schedule spec after validation. */
export type ScheduleSpec = z.output<typeof scheduleSpecSchema>;

/** The calendar's spelling (`"fri"`) of a schedule weekday. @internal */
export function weekdayOf(name: z.output<typeof scheduleWeekdaySchema>): WeekdayName {
  return name.slice(0, 3) as WeekdayName;
}

/**
 * The rules zod cannot see: which fields each frequency needs, and that a
 * calendar is named here or on the workflow.
 * @internal
 */
export function checkScheduleSpec(spec: ScheduleSpec, workflowCalendar: string | undefined, path: (string | number)[], issues: Issue[]): void {
  const at = (...rest: (string | number)[]): (string | number)[] => [...path, ...rest];
  if (spec.every === "week" && !spec.on) issues.push(catalogueIssue(M, "scheduleNeedsOn", at("on"), {}, "missing_days"));
  if (spec.every !== "week" && spec.on) issues.push(catalogueIssue(M, "scheduleOnNotWeekly", at("on"), { "every@": spec.every }, "unexpected_field"));
  if (spec.every === "month" && spec.day === undefined) issues.push(catalogueIssue(M, "scheduleNeedsDay", at("day"), {}, "missing_day"));
  if (spec.every !== "month" && spec.day !== undefined) issues.push(catalogueIssue(M, "scheduleDayNotMonthly", at("day"), { "every@": spec.every }, "unexpected_field"));
  if (spec.every === "day" && (spec.ifNotWorkday === "next" || spec.ifNotWorkday === "previous")) {
    issues.push(catalogueIssue(M, "scheduleDailyShift", at("ifNotWorkday"), { mode: spec.ifNotWorkday }, "invalid_value"));
  }
  if (spec.on && new Set(spec.on.map(weekdayOf)).size !== spec.on.length) issues.push(catalogueIssue(M, "scheduleDayTwice", at("on"), {}, "duplicate_value"));
  if (spec.calendar === undefined && workflowCalendar === undefined) {
    issues.push(catalogueIssue(M, "scheduleNeedsCalendar", at("calendar"), {}, "missing_calendar"));
  }
}

/**
 * A trigger has exactly one of `on` (a domain event) and `schedule`; `when`
 * filters events only. Checks the schedule when there is one.
 * @internal
 */
export function checkTriggerKind(
  triggers: readonly { on?: string | undefined; schedule?: ScheduleSpec | undefined; when?: unknown }[],
  index: number,
  workflowCalendar: string | undefined,
  issues: Issue[],
): void {
  const trigger = triggers[index]!;
  const path = ["triggers", index];
  if (trigger.on === undefined && trigger.schedule === undefined) {
    issues.push(catalogueIssue(M, "triggerNeedsKind", path, {}, "invalid_trigger"));
  } else if (trigger.on !== undefined && trigger.schedule !== undefined) {
    issues.push(catalogueIssue(M, "triggerBothKinds", [...path, "schedule"], {}, "invalid_trigger"));
  }
  if (trigger.schedule && trigger.when !== undefined) {
    issues.push(catalogueIssue(M, "triggerWhenOnSchedule", [...path, "when"], {}, "unexpected_field"));
  }
  if (!trigger.schedule) return;
  checkScheduleSpec(trigger.schedule, workflowCalendar, [...path, "schedule"], issues);
  const name = scheduleName(trigger.schedule, index);
  const first = triggers.findIndex((t, i) => t.schedule !== undefined && scheduleName(t.schedule, i) === name);
  if (first !== index) issues.push(catalogueIssue(M, "scheduleIdTaken", [...path, "schedule", "id"], { name, first }, "duplicate_id"));
}

/** A schedule's name inside its workflow: its `id`, else its trigger's position. @internal */
export function scheduleName(spec: ScheduleSpec, triggerIndex: number): string {
  return spec.id ?? `schedule-${triggerIndex}`;
}
