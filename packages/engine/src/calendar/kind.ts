/** The calendar kind: its spec for the generic path, and its typed compile function. */
import type { KindSpec } from "../core/kind.js";
import { compileKind, type KindOptions } from "../kinds/pipeline.js";
import { calendarSchema, type CalendarDefinition } from "../schema/calendar.js";
import { compileCalendarInto, type CompiledCalendar } from "./business-calendar.js";

/** The `calendar` kind. @internal */
export const calendarKind: KindSpec<"calendar", typeof calendarSchema, CompiledCalendar> = {
  kind: "calendar",
  schema: calendarSchema,
  compile: compileCalendarInto,
  noun: "calendar",
  docs: { page: "docs/calendars.md" },
};

/**
 * Validate and compile a calendar document (`kind` may be omitted). The same
 * checks as every other kind: no prototype-reaching keys, nesting limits,
 * shape, then meaning.
 *
 * @param input - a calendar document, usually parsed JSON
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
 * @returns the compiled calendar
 * @throws {@link ValidationError} listing every problem with its JSON path
 * @example
 * ```ts
 * const cal = compileCalendar({ id: "acme-cn", extends: "cn-mainland", holidays: ["2026-03-06"] });
 * const due = cal.addDuration(Date.parse("2026-02-13T16:00:00+08:00"), "PT3H", { business: true });
 * new Date(due).toISOString(); // "2026-02-14T02:00:00.000Z" (Saturday 10:00, a make-up workday)
 * ```
 * @see docs/calendars.md
 */
export function compileCalendar(input: CalendarDefinition | Omit<CalendarDefinition, "kind">, options?: KindOptions): CompiledCalendar {
  return compileKind(calendarKind, input, options);
}
