/**
 * Definition-level time settings of the kinds whose `timeZone` and `calendar`
 * govern their expressions and conditions: which zone their dates without an
 * offset are read in, and which business calendar their working-day
 * functions use. Rule sets, decision tables and promotions use
 * {@link zonedDefinitionTime}, workflows {@link workflowDefinitionTime}; each
 * kind's spec passes it as `time`, and the generic path compiles every
 * document through it. Other kinds read dates as UTC
 * (kinds/definition-time.ts).
 */
import type { DefinitionTimeScope } from "../core/kind.js";
import type { BuiltinCalendars, DefinitionTime } from "../expr/time-context.js";
import { compilingDefinition } from "../expr/time-context.js";
import { bindEvaluate, documentField, documentId } from "../kinds/definition-time.js";
import { BUILTIN_CALENDAR_IDS, type BuiltinCalendarId } from "../schema/calendar.js";
import { getBuiltinCalendar } from "./builtins.js";
import { BUILTIN_CALENDARS } from "./cn-mainland.js";

const isBuiltin = (id: string | undefined): id is BuiltinCalendarId => id !== undefined && (BUILTIN_CALENDAR_IDS as readonly string[]).includes(id);

/** The built-in calendars, for the evaluation-time context of a definition that names one. */
const BUILTINS: BuiltinCalendars = {
  ids: BUILTIN_CALENDAR_IDS,
  get: (id) => (isBuiltin(id) ? getBuiltinCalendar(id) : undefined),
};

function builtinZone(id: string | undefined): string | undefined {
  return isBuiltin(id) ? BUILTIN_CALENDARS[id].timeZone : undefined;
}

/** Options of {@link zonedDefinitionTime}. */
export interface ZonedDefinitionTimeOptions {
  /**
   * The kind's schema gives `timeZone` a default (promotions: UTC, used for
   * their periods too). A built-in calendar's zone then replaces that default
   * so periods and dates agree; a calendar that is not built in needs an
   * explicit `timeZone` (its zone is only known once it is loaded).
   */
  zonedBySchema?: boolean | undefined;
}

/**
 * The time settings of a rule set, decision table or promotion document.
 *
 * Precedence of the zone: `timeZone` as written, else the calendar's zone,
 * else UTC. Its `calendar` (a built-in id or the id of a calendar definition
 * loaded beside it) is what its working-day functions use.
 *
 * @param kind - the document's kind
 * @param input - the document as written (before defaults)
 * @internal
 */
export function zonedDefinitionTime(kind: string, input: unknown, options: ZonedDefinitionTimeOptions = {}): DefinitionTimeScope {
  const id = documentId(input);
  const written = documentField(input, "timeZone");
  const calendar = documentField(input, "calendar");
  const calendarId = typeof calendar === "string" ? calendar : undefined;
  return {
    parse: (f) => compilingDefinition({ kind, id, timeZone: undefined, calendarId, builtins: BUILTINS }, f),
    compile(data, issues, f) {
      const doc = data as Record<string, unknown>;
      let timeZone = typeof written === "string" ? written : undefined;
      if (options.zonedBySchema && timeZone === undefined) {
        const zone = builtinZone(calendarId);
        if (zone !== undefined) doc.timeZone = zone;
        else if (calendarId !== undefined) {
          issues.push({
            code: "missing_time_zone",
            path: ["timeZone"],
            message: `the calendar "${calendarId}" is not built in, so its zone is not known when the ${kind} is compiled; state the ${kind}'s "timeZone" (for example "Asia/Shanghai")`,
          });
        }
        timeZone = typeof doc.timeZone === "string" ? doc.timeZone : undefined;
      }
      const settings: DefinitionTime = { kind, id, timeZone, calendarId, builtins: BUILTINS };
      return bindEvaluate(compilingDefinition(settings, () => f(doc)), settings);
    },
  };
}

/**
 * The time settings of a workflow document: its conditions and expressions
 * read dates in its `timeZone`, else its built-in calendar's zone, else UTC
 * (a loaded calendar's zone is not known here: state `timeZone`). Its
 * `calendar` is for its timers, not for expressions.
 *
 * @param input - the workflow document as written
 * @internal
 */
export function workflowDefinitionTime(input: unknown): DefinitionTimeScope {
  const written = documentField(input, "timeZone");
  const calendar = documentField(input, "calendar");
  const zone = typeof written === "string" ? written : builtinZone(typeof calendar === "string" ? calendar : undefined);
  const settings: DefinitionTime = { kind: "workflow", id: documentId(input), timeZone: zone, calendarId: undefined };
  return { parse: (f) => compilingDefinition(settings, f), compile: (data, _issues, f) => compilingDefinition(settings, () => f(data)) };
}
