/**
 * Schema of business calendars: a time zone, working hours, the weekend,
 * holidays and make-up workdays. Shape is checked here; rules that need
 * several fields at once (a date listed twice, `extends`) are checked when
 * the calendar is compiled.
 */
import { z } from "zod";
import type { IssueCode } from "../core/errors.js";
import { parseLocalDate, parseTimeOfDay, WEEKDAY_NAMES } from "../core/local-date.js";
import { isValidTimeZone } from "../core/time-zone.js";
import { baseFields } from "./common.js";

/** Ids of the calendars that ship with the engine and can be extended. */
export const BUILTIN_CALENDAR_IDS = ["cn-mainland"] as const;

/** Id of a built-in calendar. */
export type BuiltinCalendarId = (typeof BUILTIN_CALENDAR_IDS)[number];

/** A time zone known to Intl, such as `Asia/Shanghai`. */
const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, {
    error: (issue) =>
      `unknown time zone ${JSON.stringify(issue.input)}; use an IANA name such as "Asia/Shanghai" or "America/New_York"`,
  })
  .meta({ description: "IANA time zone in which working hours and dates are read, such as Asia/Shanghai." });

/** A local date `YYYY-MM-DD`. */
const localDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date "YYYY-MM-DD", such as "2026-10-01"', abort: true })
  .refine((s) => parseLocalDate(s) !== undefined, { error: (issue) => `${String(issue.input)} is not a real date` })
  .meta({ description: "A local date, YYYY-MM-DD." });

const timeOfDaySchema = z
  .string()
  .regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: 'expected a time of day "HH:MM" from 00:00 to 24:00, such as "09:00"', abort: true });

/** One working span `[start, end)` of a day, as `["09:00", "12:00"]`. */
const workingSpanSchema = z
  .tuple([timeOfDaySchema, timeOfDaySchema], { error: 'expected a span [start, end], such as ["09:00", "12:00"]' })
  .refine(([start, end]) => parseTimeOfDay(start) < parseTimeOfDay(end), {
    error: (issue) => {
      const [start, end] = issue.input as [string, string];
      return `a span must end after it starts, got ${start}-${end}; a span cannot cross midnight: split it into ["${start}", "24:00"] and ["00:00", "${end}"]`;
    },
  })
  .meta({ description: "A working span [start, end) in local time, HH:MM; end may be 24:00." });

/** Working spans of every working day, in order and without overlaps. */
const workingHoursSchema = z
  .array(workingSpanSchema)
  .min(1, { error: 'a calendar needs at least one working span, such as [["09:00", "18:00"]]' })
  .superRefine((spans, ctx) => {
    for (let i = 1; i < spans.length; i++) {
      const prevEnd = spans[i - 1]![1];
      const start = spans[i]![0];
      if (parseTimeOfDay(start) < parseTimeOfDay(prevEnd)) {
        ctx.addIssue({
          code: "custom",
          path: [i],
          input: spans[i],
          message: `starts at ${start}, before the previous span ends at ${prevEnd}; list spans in time order without overlaps`,
          params: { code: "overlapping_span" satisfies IssueCode },
        });
      }
    }
  })
  .meta({ description: 'Working spans of a working day, in order, such as [["09:00", "12:00"], ["13:30", "18:00"]].' });

const weekdaySchema = z.enum(WEEKDAY_NAMES);

const yearSchema = z.int({ error: "expected a year such as 2026" }).min(1, { error: "expected a year from 1 to 9999" }).max(9999, {
  error: "expected a year from 1 to 9999",
});

/** The years (inclusive) whose holidays and make-up workdays a calendar lists. */
const coverageSchema = z
  .strictObject({ from: yearSchema, to: yearSchema })
  .refine((c) => c.from <= c.to, { error: "must not be before coverage.from", path: ["to"] })
  .meta({
    description:
      "The years (inclusive) whose holidays are listed. Asking about a date in another year throws CalendarCoverageError instead of guessing. Without coverage every year counts as covered.",
  });

/**
 * zod schema of a calendar document. Shape only: load calendars with
 * `compileCalendar` or `validateDefinition`, which also check dates listed
 * twice, `coverage` and what `extends` supplies.
 *
 * @example
 * ```ts
 * calendarSchema.safeParse({ kind: "calendar", id: "x", timeZone: "Asia/Shanghai", workingHours: [["09:00", "18:00"]] }).success; // true
 * ```
 * @see docs/calendars.md
 */
export const calendarSchema = z
  .strictObject({
    kind: z.literal("calendar"),
    $schema: baseFields.$schema,
    id: baseFields.id,
    version: baseFields.version.default(1),
    effective: baseFields.effective,
    name: baseFields.name,
    description: baseFields.description,
    extends: z
      .enum(BUILTIN_CALENDAR_IDS)
      .optional()
      .meta({
        description:
          "Start from a built-in calendar: its fields apply unless given here; holidays and workdays listed here are added to its own and win over them.",
      }),
    timeZone: timeZoneSchema.optional(),
    workingHours: workingHoursSchema.optional(),
    weekend: z
      .array(weekdaySchema)
      .max(7)
      .refine((days) => new Set(days).size === days.length, { error: "each day may appear once in weekend" })
      .optional()
      .meta({ description: 'Days of the week that are not working days, such as ["sat", "sun"]. Default ["sat", "sun"].' }),
    holidays: z
      .array(localDateSchema)
      .default([])
      .meta({ description: "Dates that are not working days, including holiday days that fall on the weekend." }),
    workdays: z
      .array(localDateSchema)
      .default([])
      .meta({
        description:
          "Make-up working days (调休): dates that are working days although they fall on the weekend (or are holidays of the extended calendar).",
      }),
    coverage: coverageSchema.optional(),
  })
  .meta({ id: "Calendar", title: "Ruleflow business calendar" });

/** A calendar document, as written. */
export type CalendarDefinition = z.input<typeof calendarSchema>;
/** A calendar document after validation (defaults applied). */
export type CalendarDocument = z.output<typeof calendarSchema>;
/** A day of the week as calendars spell it. */
export type { WeekdayName } from "../core/local-date.js";
