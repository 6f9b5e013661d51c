/**
 * Definition-level time settings: which zone a definition's dates without an
 * offset are read in, and which business calendar its working-day functions
 * use. `validateDefinition` compiles every document through here.
 */
import { BUILTIN_CALENDARS } from "../calendar/cn-mainland.js";
import type { DefinitionLookup } from "../decisions/types.js";
import type { Issue } from "../core/errors.js";
import { BUILTIN_CALENDAR_IDS, type BuiltinCalendarId } from "../schema/calendar.js";
import { resolveNow } from "./compile.js";
import { compilingDefinition, inDefinitionTime, withDefinitionLookup, type DefinitionTime } from "./time-context.js";

/**
 * Kinds whose `timeZone` and `calendar` govern their expressions and
 * conditions. Not rebates: settlement reads order dates outside any compiled
 * closure, so a zone there would make a quote and a settlement disagree.
 */
const DEFINITION_TIME_KINDS = new Set(["ruleset", "decision-table", "promotion"]);

/** Kinds whose documents carry their own `timeZone` field with a default (used for their periods too). */
const ZONED_BY_SCHEMA = new Set(["promotion"]);

function field(doc: unknown, key: string): unknown {
  return typeof doc === "object" && doc !== null && Object.hasOwn(doc, key) ? (doc as Record<string, unknown>)[key] : undefined;
}

function builtinZone(id: string | undefined): string | undefined {
  return id !== undefined && (BUILTIN_CALENDAR_IDS as readonly string[]).includes(id) ? BUILTIN_CALENDARS[id as BuiltinCalendarId].timeZone : undefined;
}

/** The time settings of one document while it is checked and compiled. @internal */
export interface DefinitionTimeScope {
  /** Run the shape check with the definition's calendar known (expressions check calendar functions). */
  parse<T>(f: () => T): T;
  /**
   * Compile the validated document `doc` in its time settings and bind its
   * `evaluate` to them; problems go to `issues`.
   */
  compile<T extends object>(doc: unknown, issues: Issue[], f: (doc: unknown) => T): T;
}

/**
 * The time settings of a document, for {@link DefinitionTimeScope}.
 *
 * Precedence of the zone: `timeZone` as written, else the calendar's zone,
 * else UTC. For promotions, whose schema defaults `timeZone` to UTC for
 * their periods, a built-in calendar's zone replaces that default so
 * periods and dates agree; a calendar that is not built in needs an explicit
 * `timeZone` there (its zone is only known once it is loaded).
 *
 * @param kind - the document's kind
 * @param input - the document as written (before defaults)
 * @internal
 */
export function definitionTimeOf(kind: string, input: unknown): DefinitionTimeScope {
  const id = typeof field(input, "id") === "string" ? (field(input, "id") as string) : "";
  const written = field(input, "timeZone");
  const calendar = field(input, "calendar");
  // Other kinds (a workflow's `calendar` is for its timers) keep reading dates as UTC.
  const calendarId = typeof calendar === "string" && DEFINITION_TIME_KINDS.has(kind) ? calendar : undefined;
  if (kind === "workflow") {
    // A workflow's conditions and expressions read dates in its `timeZone`, else its built-in calendar's zone, else UTC
    // (a loaded calendar's zone is not known here: state `timeZone`). Its calendar stays for its timers.
    const zone = typeof written === "string" ? written : builtinZone(typeof calendar === "string" ? calendar : undefined);
    const settings: DefinitionTime = { kind, id, timeZone: zone, calendarId: undefined };
    return { parse: (f) => compilingDefinition(settings, f), compile: (data, _issues, f) => compilingDefinition(settings, () => f(data)) };
  }
  return {
    parse: (f) => compilingDefinition({ kind, id, timeZone: undefined, calendarId }, f),
    compile(data, issues, f) {
      const doc = data as Record<string, unknown>;
      let timeZone = typeof written === "string" && DEFINITION_TIME_KINDS.has(kind) ? written : undefined;
      if (ZONED_BY_SCHEMA.has(kind) && timeZone === undefined) {
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
      const settings: DefinitionTime = { kind, id, timeZone, calendarId };
      return bindEvaluate(compilingDefinition(settings, () => f(doc)), settings);
    },
  };
}

const HAS_OFFSET = /[T ].*(?:Z|[+-]\d{2}:?\d{2})$/;

type Evaluate = (facts: unknown, options?: { at?: string | Date | undefined; definitions?: DefinitionLookup | undefined }) => unknown;

/**
 * Make `definition.evaluate` (and the internal `evaluateScope`) run in the
 * definition's time context. `at` is read before entering it (an evaluation
 * time is an instant, never a wall clock of the definition), and calendars
 * named by id are found in `options.definitions` when given. A definition
 * that reads dates as UTC only leaves any outer definition's zone.
 */
function bindEvaluate<T extends object>(definition: T, settings: DefinitionTime): T {
  const inner = field(definition, "evaluate");
  if (typeof inner !== "function" || Object.isFrozen(definition)) return definition;
  const zoned = settings.timeZone !== undefined || settings.calendarId !== undefined;
  const evaluate: Evaluate = (facts, options) =>
    withDefinitionLookup(options?.definitions, () => {
      if (!zoned) return (inner as Evaluate).call(definition, facts, options);
      // Only an `at` without an offset could change meaning inside the zone: read it here, as UTC.
      const at = typeof options?.at === "string" && !HAS_OFFSET.test(options.at) ? resolveNow(options.at) : options?.at;
      return inDefinitionTime(settings, () => (inner as Evaluate).call(definition, facts, { ...options, at }));
    });
  (definition as { evaluate: Evaluate }).evaluate = evaluate;
  // The internal entry other definitions and promotion sets call (a rebate
  // modifier reading a table, claims): table cells compare in its zone there too.
  const scoped = field(definition, "evaluateScope");
  if (typeof scoped === "function" && zoned) {
    (definition as { evaluateScope: (...args: unknown[]) => unknown }).evaluateScope = (...args: unknown[]) =>
      inDefinitionTime(settings, () => (scoped as (...a: unknown[]) => unknown).apply(definition, args));
  }
  return definition;
}
