/** Which business calendar a workflow uses: one loaded with the definitions, or a built-in one. */
import { getBuiltinCalendar } from "../calendar/builtins.js";
import type { DefinitionRegistry } from "../registry.js";
import { WorkflowError } from "../core/errors.js";
import { BUILTIN_CALENDAR_IDS, type BuiltinCalendarId } from "../schema/calendar.js";
import type { DurationCalculator } from "../workflow/node-entry.js";

/**
 * The calendar named by a workflow: a loaded `calendar` definition with that
 * id wins over the built-in one of the same id (so hosts can replace
 * `cn-mainland`).
 */
export function resolveCalendarFor(id: string | undefined, registry: DefinitionRegistry): DurationCalculator | undefined {
  if (id === undefined) return undefined;
  if (registry.ids().includes(id)) {
    // Calendars are not evaluated at a time: the newest loaded version applies.
    const def = registry.versions(id).at(-1)!;
    if (def.kind !== "calendar") throw new WorkflowError(`"${id}" is a ${def.kind}, not a calendar`);
    return def;
  }
  if ((BUILTIN_CALENDAR_IDS as readonly string[]).includes(id)) return getBuiltinCalendar(id as BuiltinCalendarId);
  throw new WorkflowError(`calendar "${id}" is neither loaded nor built in (built-in: ${BUILTIN_CALENDAR_IDS.join(", ")})`);
}
