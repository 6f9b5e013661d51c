/**
 * `@ruleflow/engine/calendar`: business calendars, durations and local time.
 * The built-in calendars (mainland China holidays and their source notices),
 * the calendar schema, business-time arithmetic helpers, time-zone
 * conversions and recurrences for scheduled triggers.
 *
 * `compileCalendar` (a calendar definition into a {@link CompiledCalendar})
 * is in the root entry, `@ruleflow/engine`.
 *
 * @example
 * ```ts
 * import { getBuiltinCalendar } from "@ruleflow/engine/calendar";
 *
 * const cn = getBuiltinCalendar("cn-mainland");
 * const due = cn.addDuration(Date.parse("2026-02-13T16:00:00+08:00"), "PT3H", { business: true });
 * ```
 *
 * @packageDocumentation
 */

export { getBuiltinCalendar } from "../calendar/builtins.js";
export type { BusinessCalendar, CompiledCalendar, AddDurationOptions } from "../calendar/business-calendar.js";
export { BUILTIN_CALENDARS } from "../calendar/cn-mainland.js";
export { CN_MAINLAND_NOTICES, CN_MAINLAND_COVERAGE } from "../calendar/cn-mainland-data.js";
export type { HolidayNotice, HolidayPeriod } from "../calendar/cn-mainland-data.js";
export type { CalendarCoverage } from "../core/errors.js";
export { calendarSchema, BUILTIN_CALENDAR_IDS } from "../schema/calendar.js";
export type { CalendarDefinition, CalendarDocument, BuiltinCalendarId, WeekdayName } from "../schema/calendar.js";
export { parseDuration, addDuration } from "../core/duration.js";
export type { Duration } from "../core/duration.js";
export { toLocalDateTime, fromLocalDateTime } from "../core/time-zone.js";
export type { LocalDateTime, GapResolution } from "../core/time-zone.js";
export { compileRecurrence } from "../calendar/recurrence.js";
export type { Recurrence } from "../calendar/recurrence.js";
