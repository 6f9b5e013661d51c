/**
 * Compiling a calendar document into a {@link BusinessCalendar}: pure
 * functions on epoch milliseconds that the workflow runtime uses for SLA and
 * escalation timers. Compiled once; each call is a walk over cached days.
 * Documents come here through the generic path (calendar/kind.ts).
 */
import { EvaluationError } from "../core/errors.js";
import type { CalendarDocument } from "../schema/calendar.js";
import { addBusinessDaysIn, addBusinessTimeIn, businessTimeBetweenIn, isWorkingTimeIn, nextWorkingInstantIn } from "./business-time.js";
import { checkCalendarDocument } from "./check-calendar.js";
import { BUILTIN_CALENDARS } from "./cn-mainland.js";
import type { CalendarCoverage } from "../core/errors.js";
import type { BusinessCalendar } from "../core/calendar.js";
import { createDaySchedule, type DaySchedule } from "./day-schedule.js";
import { resolveDuration, addCalendarDuration } from "../core/zoned-duration.js";
import { checkInstant, getZoneRules } from "../core/time-zone.js";
import type { CompileContext } from "../core/context.js";

export type { AddDurationOptions, BusinessCalendar } from "../core/calendar.js";

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
