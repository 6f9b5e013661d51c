/**
 * Compiling a calendar document into a {@link BusinessCalendar}: pure
 * functions on epoch milliseconds that the workflow runtime uses for SLA and
 * escalation timers. Compiled once; each call is a walk over cached days.
 */
import type { CompileContext } from "../conditions/compile.js";
import { EvaluationError, ValidationError } from "../core/errors.js";
import { BUILTIN_CALENDAR_IDS, calendarSchema, type BuiltinCalendarId, type CalendarDefinition, type CalendarDocument } from "../schema/calendar.js";
import { documentStructureIssues } from "../schema/document-limits.js";
import { fromZodIssues } from "../schema/issues.js";
import { addBusinessDaysIn, addBusinessTimeIn, businessTimeBetweenIn, isWorkingTimeIn, nextWorkingInstantIn } from "./business-time.js";
import { checkCalendarDocument } from "./check-calendar.js";
import { BUILTIN_CALENDARS } from "./cn-mainland.js";
import type { CalendarCoverage } from "../core/errors.js";
import { createDaySchedule, type DaySchedule } from "./day-schedule.js";
import type { Duration } from "../core/duration.js";
import { resolveDuration, addCalendarDuration } from "../core/zoned-duration.js";
import { checkInstant, getZoneRules } from "../core/time-zone.js";

/** Options of {@link BusinessCalendar.addDuration}. */
export interface AddDurationOptions {
  /**
   * `true`: days and weeks are business days, hours, minutes and seconds are
   * business hours. `false` (default): calendar time in the calendar's zone.
   */
  business?: boolean | undefined;
}

/**
 * Working days and working hours of a calendar, as pure functions on epoch
 * milliseconds. Every function that has to know whether a date in a year
 * outside `coverage` is a working day throws {@link CalendarCoverageError}.
 *
 * @see docs/calendars.md
 */
export interface BusinessCalendar {
  readonly id: string;
  /** IANA zone in which dates and working hours are read. */
  readonly timeZone: string;
  /** Years with known holidays; `undefined` means every year. */
  readonly coverage: CalendarCoverage | undefined;
  /** Whether the local date of `ms` is a working day (make-up workdays are; holidays and the weekend are not). */
  isWorkday(ms: number): boolean;
  /** Whether `ms` is inside a working span `[start, end)` of a working day: 09:00 is, 12:00 and 18:00 are not. */
  isWorkingTime(ms: number): boolean;
  /** `ms` when it is working time, else the start of the next working span. */
  nextWorkingInstant(ms: number): number;
  /**
   * The earliest instant by which `durationMs` (>= 0) of working time has
   * elapsed since `ms`: inside a working span, or exactly at the end of one
   * (a span ending at 18:00 gives 18:00, not 09:00 next morning). Zero returns `ms`.
   */
  addBusinessTime(ms: number, durationMs: number): number;
  /**
   * The same local time of day on the `days`-th working day after the start
   * day, where the start is the next working instant (`ms` itself when it is
   * working time). `days` is a whole number >= 0; 0 gives the next working instant.
   */
  addBusinessDays(ms: number, days: number): number;
  /**
   * Add an ISO-8601 duration. Calendar time (default): years, months, weeks
   * and days move the local date keeping the local time (`P1D` is the same
   * wall-clock time tomorrow, across daylight-saving changes), then hours,
   * minutes and seconds are added as elapsed time. Business time
   * (`{ business: true }`): weeks and days are business days (a week counts
   * as the working days of a normal week, 5 with a Saturday-Sunday weekend),
   * applied first with {@link BusinessCalendar.addBusinessDays}; then hours,
   * minutes and seconds are business time ({@link BusinessCalendar.addBusinessTime}).
   * Years and months are refused in business mode.
   */
  addDuration(ms: number, duration: string | Duration, options?: AddDurationOptions): number;
  /** Working time in `[a, b)` in milliseconds; negative when `b < a`. */
  businessTimeBetween(a: number, b: number): number;
}

/** A compiled calendar definition: a {@link BusinessCalendar} with its document. */
export interface CompiledCalendar extends BusinessCalendar {
  readonly kind: "calendar";
  readonly version: number;
  readonly document: CalendarDocument;
}

function checkDuration(durationMs: number, what: string): void {
  if (typeof durationMs !== "number" || !Number.isFinite(durationMs) || durationMs < 0) {
    throw new EvaluationError(`Expected ${what} as a number of milliseconds >= 0, got ${String(durationMs)}`);
  }
}

function wrap(doc: CalendarDocument, s: DaySchedule, coverage: CalendarCoverage | undefined, workdaysPerWeek: number): CompiledCalendar {
  const { zone } = s;
  const result = (ms: number): number => {
    checkInstant(ms, "result");
    return ms;
  };
  const calendar: CompiledCalendar = {
    kind: "calendar",
    id: doc.id,
    version: doc.version,
    document: doc,
    timeZone: zone.timeZone,
    coverage,
    isWorkday(ms) {
      checkInstant(ms);
      return s.isWorkday(zone.localDayOf(ms));
    },
    isWorkingTime(ms) {
      checkInstant(ms);
      return isWorkingTimeIn(s, ms);
    },
    nextWorkingInstant(ms) {
      checkInstant(ms);
      return nextWorkingInstantIn(s, ms);
    },
    addBusinessTime(ms, durationMs) {
      checkInstant(ms);
      checkDuration(durationMs, "the business time to add");
      return result(addBusinessTimeIn(s, ms, durationMs));
    },
    addBusinessDays(ms, days) {
      checkInstant(ms);
      if (!Number.isInteger(days) || days < 0) throw new EvaluationError(`Expected a whole number of business days >= 0, got ${String(days)}`);
      return result(addBusinessDaysIn(s, ms, days));
    },
    addDuration(ms, duration, options) {
      checkInstant(ms);
      const d = resolveDuration(duration);
      if (!options?.business) return result(addCalendarDuration(zone, ms, d));
      if (d.years || d.months) {
        throw new EvaluationError(
          `A business duration cannot use years or months (got ${typeof duration === "string" ? duration : JSON.stringify(duration)}): ` +
            "a business month has no fixed length. Use weeks or days (business days) and hours or minutes (business hours), or add it as calendar time with { business: false }.",
        );
      }
      if (d.weeks && workdaysPerWeek === 0) {
        throw new EvaluationError(`Calendar "${doc.id}" has no working days in a normal week, so business weeks mean nothing; use days`);
      }
      const days = d.weeks * workdaysPerWeek + d.days;
      const afterDays = days > 0 ? calendar.addBusinessDays(ms, days) : ms;
      const timeMs = Math.round(d.hours * 3_600_000 + d.minutes * 60_000 + d.seconds * 1000);
      return timeMs > 0 ? calendar.addBusinessTime(afterDays, timeMs) : afterDays;
    },
    businessTimeBetween(a, b) {
      checkInstant(a, "start");
      checkInstant(b, "end");
      return businessTimeBetweenIn(s, a, b);
    },
  };
  return calendar;
}

/**
 * Compile a validated calendar document; problems go to `ctx.issues`.
 * @internal
 */
export function compileCalendarInto(doc: CalendarDocument, ctx: CompileContext): CompiledCalendar {
  const base = doc.extends ? BUILTIN_CALENDARS[doc.extends] : undefined;
  const rules = checkCalendarDocument(doc, base, ctx.issues);
  const schedule = createDaySchedule({ ...rules, id: doc.id, zone: getZoneRules(rules.timeZone) });
  return wrap(doc, schedule, rules.coverage, 7 - rules.weekend.size);
}

/**
 * Validate and compile a calendar document (`kind` may be omitted).
 *
 * @param input - a calendar document, usually parsed JSON
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
export function compileCalendar(input: CalendarDefinition | Omit<CalendarDefinition, "kind">): CompiledCalendar {
  const raw: unknown = typeof input === "object" && input !== null && !("kind" in input) ? { kind: "calendar", ...input } : input;
  const subject = `calendar${typeof (raw as { id?: unknown })?.id === "string" ? ` "${(raw as { id: string }).id}"` : ""}`;
  const structure = documentStructureIssues(raw);
  if (structure.length) throw new ValidationError(structure, subject);
  const parsed = calendarSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ValidationError(fromZodIssues(parsed.error.issues), subject);
  const ctx: CompileContext = { issues: [], knownFacts: undefined };
  const calendar = compileCalendarInto(parsed.data, ctx);
  if (ctx.issues.length) throw new ValidationError(ctx.issues, subject);
  return calendar;
}

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
