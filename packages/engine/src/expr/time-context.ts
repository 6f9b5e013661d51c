/**
 * The time zone and business calendar of the definition whose expressions and
 * conditions are being compiled or evaluated.
 *
 * A date without an offset (`"2026-03-05"`, `"2026-03-05T09:00"`) is a wall
 * clock reading, so it means nothing until a zone is known. Each evaluable
 * definition may name one (`timeZone`, else its `calendar`'s zone, else UTC).
 * Comparisons read dates deep inside value helpers that have no scope, so the
 * zone travels as an ambient context: set around each compiled closure of the
 * definition (see {@link inDefinitionTime}) and restored afterwards.
 * Evaluation is synchronous, so the ambient value never leaks between
 * evaluations; nested definitions (a rebate reading a decision table) each
 * enter their own.
 */
import type { BusinessCalendar } from "../core/calendar.js";
import { DAY_MS } from "../core/local-date.js";
import { getZoneRules } from "../core/time-zone.js";
import { EvaluationError, isRuleflowError } from "../core/errors.js";
import type { DefinitionLookup } from "../core/context.js";

/** The time settings one definition declares. @internal */
export interface DefinitionTime {
  /** The definition's kind and id, for messages. */
  readonly kind: string;
  readonly id: string;
  /** `timeZone` as written (or defaulted by the kind's schema). */
  readonly timeZone: string | undefined;
  /** `calendar` as written: a built-in id or the id of a calendar definition. */
  readonly calendarId: string | undefined;
  /**
   * The built-in calendars `calendarId` may name when no loaded calendar has
   * that id. The calendar layer passes them in (see calendar/definition-time.ts),
   * so expressions need not import it.
   */
  readonly builtins?: BuiltinCalendars | undefined;
}

/** The calendars that ship with the engine, as a definition's time settings hold them. @internal */
export interface BuiltinCalendars {
  /** Their ids, for messages. */
  readonly ids: readonly string[];
  /** The compiled built-in calendar `id`, or `undefined` when none has that id. */
  get(id: string): BusinessCalendar | undefined;
}

/** Converts between wall-clock readings and instants in one zone. @internal */
interface ZoneConverter {
  /** The zone's name: `UTC`, `+08:00` or an IANA name. */
  readonly name: string;
  /** The instant of the wall-clock reading `wallMs` (a local time written as if it were UTC). */
  toInstant(wallMs: number): number;
  /** The local day number (days since 1970-01-01) of an instant. */
  localDayOf(ms: number): number;
}

/** The resolved time context of one definition at evaluation. @internal */
export interface TimeContext {
  readonly settings: DefinitionTime;
  readonly zone: ZoneConverter;
  /** The business calendar, when the definition names one. */
  readonly calendar: BusinessCalendar | undefined;
}

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

const UTC: ZoneConverter = { name: "UTC", toInstant: (wall) => wall, localDayOf: (ms) => Math.floor(ms / DAY_MS) };

const converters = new Map<string, ZoneConverter>();

/**
 * A converter for `UTC`, a fixed offset (`+08:00`) or an IANA zone.
 * @throws {@link EvaluationError} for an unknown zone
 * @internal
 */
function zoneConverter(name: string): ZoneConverter {
  if (name === "UTC" || name === "Z") return UTC;
  let c = converters.get(name);
  if (c) return c;
  const m = OFFSET.exec(name);
  if (m) {
    const off = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
    c = { name, toInstant: (wall) => wall - off, localDayOf: (ms) => Math.floor((ms + off) / DAY_MS) };
  } else {
    const rules = getZoneRules(name);
    c = {
      name,
      toInstant: (wall) => {
        const day = Math.floor(wall / DAY_MS);
        return rules.toInstant(day, wall - day * DAY_MS, "shift");
      },
      localDayOf: (ms) => rules.localDayOf(ms),
    };
  }
  converters.set(name, c);
  return c;
}

let compiling: DefinitionTime | undefined;
let current: TimeContext | undefined;
let lookup: DefinitionLookup | undefined;
const resolvedAlone = new WeakMap<DefinitionTime, TimeContext>();

/**
 * Run `f` (a definition's shape check and compile) with `settings` as the
 * definition being compiled: compiled expressions and conditions bind to it.
 * @internal
 */
export function compilingDefinition<T>(settings: DefinitionTime, f: () => T): T {
  const saved = compiling;
  compiling = settings;
  try {
    return f();
  } finally {
    compiling = saved;
  }
}

/**
 * The time settings compiled closures bind to: the definition being compiled
 * when it names a zone or a calendar; `undefined` otherwise (a standalone
 * expression, or a definition that reads dates as UTC: its closures run
 * unwrapped, at no cost, and its `evaluate` clears any outer zone).
 * @internal
 */
export function definitionAtCompile(): DefinitionTime | undefined {
  return compiling !== undefined && (compiling.timeZone !== undefined || compiling.calendarId !== undefined) ? compiling : undefined;
}

/**
 * Why a function that needs a business calendar cannot be used here (an
 * expressions catalogue key and its parameters), or
 * `undefined` when it can (or when no definition is being compiled: a
 * standalone expression finds out at evaluation).
 * @internal
 */
export function calendarProblemAtCompile(fn: string): { key: "calendarNotHere" | "calendarRequired"; params: { name: string; kind: string } } | undefined {
  const d = compiling;
  if (d === undefined) return undefined;
  if (d.kind !== "ruleset" && d.kind !== "decision-table" && d.kind !== "promotion") return { key: "calendarNotHere", params: { name: fn, kind: d.kind } };
  if (d.calendarId !== undefined) return undefined;
  return { key: "calendarRequired", params: { name: fn, kind: d.kind } };
}

/** The time context of the definition being evaluated, if any. @internal */
export function currentTimeContext(): TimeContext | undefined {
  return current;
}

/** The instant of a wall-clock reading without an offset: in the current definition's zone, else UTC. @internal */
export function wallToInstant(wallMs: number): number {
  return current === undefined ? wallMs : current.zone.toInstant(wallMs);
}

function resolveCalendar(settings: DefinitionTime, at: DefinitionLookup | undefined): BusinessCalendar | undefined {
  const id = settings.calendarId;
  if (id === undefined) return undefined;
  if (at) {
    // A loaded calendar wins over the built-in one of the same id, as for workflows.
    try {
      const def = at.resolve(id);
      if (def.kind !== "calendar") {
        throw new EvaluationError(`${settings.kind} "${settings.id}" names "${id}" as its calendar, but "${id}" is a ${def.kind}`);
      }
      // A compiled calendar definition is a BusinessCalendar (calendar/business-calendar.ts).
      return def as unknown as BusinessCalendar;
    } catch (e) {
      if (!(isRuleflowError(e) && e.code === "UNKNOWN_DEFINITION")) throw e;
    }
  }
  const builtin = settings.builtins?.get(id);
  if (builtin) return builtin;
  throw new EvaluationError(
    `${settings.kind} "${settings.id}" names the calendar "${id}", which is not built in (built-in: ${(settings.builtins?.ids ?? []).join(", ")})` +
      (at ? " and not loaded" : "; load the calendar definition beside it and evaluate through the registry (registry.evaluate)"),
  );
}

function resolve(settings: DefinitionTime): TimeContext {
  if (lookup === undefined) {
    const cached = resolvedAlone.get(settings);
    if (cached) return cached;
  }
  const calendar = resolveCalendar(settings, lookup);
  const zoneName = settings.timeZone ?? calendar?.timeZone;
  const context: TimeContext = { settings, zone: zoneName === undefined ? UTC : zoneConverter(zoneName), calendar };
  if (lookup === undefined) resolvedAlone.set(settings, context);
  return context;
}

/**
 * Run `f` in the time context of the definition `settings` describes. Cheap
 * when that context is already current (the common case: every closure of a
 * definition evaluated through its `evaluate`).
 * @internal
 */
export function inDefinitionTime<T>(settings: DefinitionTime, f: () => T): T {
  if (current !== undefined && current.settings === settings) return f();
  const saved = current;
  current = resolve(settings);
  try {
    return f();
  } finally {
    current = saved;
  }
}

/**
 * Run `f` with `definitions` as where calendar definitions named by id are
 * found, and with no definition's time context current (so `at` and other
 * inputs read before entering a definition are read as written).
 * @internal
 */
export function withDefinitionLookup<T>(definitions: DefinitionLookup | undefined, f: () => T): T {
  const savedLookup = lookup;
  const savedCurrent = current;
  lookup = definitions;
  current = undefined;
  try {
    return f();
  } finally {
    lookup = savedLookup;
    current = savedCurrent;
  }
}
