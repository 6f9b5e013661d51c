/** The calendars that ship with the engine, compiled on first use. */
import { EvaluationError } from "../core/errors.js";
import { BUILTIN_CALENDAR_IDS, type BuiltinCalendarId } from "../schema/calendar.js";
import type { CompiledCalendar } from "./business-calendar.js";
import { BUILTIN_CALENDARS } from "./cn-mainland.js";
import { compileCalendar } from "./kind.js";

const builtins = new Map<BuiltinCalendarId, CompiledCalendar>();

/**
 * A built-in calendar, compiled (once, then cached).
 *
 * @param id - `"cn-mainland"`
 * @returns the compiled calendar
 * @throws {@link EvaluationError} for an id that is not built in
 * @example
 * ```ts
 * const cn = getBuiltinCalendar("cn-mainland");
 * cn.isWorkday(Date.parse("2026-02-28T10:00:00+08:00")); // true: a Saturday worked for the Spring Festival
 * ```
 * @see docs/calendars.md
 */
export function getBuiltinCalendar(id: BuiltinCalendarId): CompiledCalendar {
  if (!(BUILTIN_CALENDAR_IDS as readonly string[]).includes(id)) {
    throw new EvaluationError(`No built-in calendar "${String(id)}"; built-in calendars are: ${BUILTIN_CALENDAR_IDS.join(", ")}`);
  }
  let calendar = builtins.get(id);
  if (!calendar) {
    calendar = compileCalendar(BUILTIN_CALENDARS[id]);
    builtins.set(id, calendar);
  }
  return calendar;
}
