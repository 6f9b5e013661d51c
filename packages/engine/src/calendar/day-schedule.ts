/**
 * Which local days are working days, and the working spans of each as
 * instants. Everything above (adding business time, counting it) walks day
 * by day through this, so it caches per day and knows when to give up.
 */
import { EvaluationError } from "../core/errors.js";
import { CalendarCoverageError, type CalendarCoverage } from "../core/errors.js";
import { DAY_MS, civilFromDays, formatLocalDate, isoWeekday } from "../core/local-date.js";
import type { ZoneRules } from "../core/time-zone.js";

/** What a schedule is built from, already merged with any extended calendar. @internal */
export interface ScheduleRules {
  readonly id: string;
  readonly zone: ZoneRules;
  /** Working spans as minutes after midnight, sorted, disjoint, not touching: [start, end][]. */
  readonly spans: readonly (readonly [number, number])[];
  /** ISO weekdays (1 = Monday) that are the weekend. */
  readonly weekend: ReadonlySet<number>;
  /** Day numbers off. */
  readonly holidays: ReadonlySet<number>;
  /** Day numbers worked, winning over the weekend and holidays. */
  readonly workdays: ReadonlySet<number>;
  readonly coverage: CalendarCoverage | undefined;
}

/** Day-level answers with caching and loop bounds. @internal */
export interface DaySchedule {
  readonly id: string;
  readonly zone: ZoneRules;
  /** Whether local day `day` is a working day. @throws {@link CalendarCoverageError} outside coverage */
  isWorkday(day: number): boolean;
  /** Working spans of local day `day` as instants `[start0, end0, start1, end1, ...]`; empty on days off. */
  spans(day: number): readonly number[];
  /** Milliseconds of working time on local day `day`. */
  total(day: number): number;
  /**
   * Called after `idle` consecutive days without working time, the last
   * being `day`: throws when no working time can follow.
   */
  checkAhead(day: number, idle: number): void;
}

const CACHE_LIMIT = 8192;
const EMPTY: readonly number[] = Object.freeze([]);

/**
 * Build the day schedule of a calendar.
 * @internal
 */
export function createDaySchedule(rules: ScheduleRules): DaySchedule {
  const { id, zone, weekend, holidays, workdays, coverage } = rules;
  const minutes = rules.spans;
  const spanCache = new Map<number, readonly number[]>();
  const totalCache = new Map<number, number>();

  // With some weekday outside the weekend, every week has a working day unless
  // a holiday takes it, so a run of days off is at most this long.
  const everyDayOff = weekend.size === 7;
  const idleLimit = (holidays.size + 2) * 7;
  let lastWorkday = -Infinity;
  for (const d of workdays) lastWorkday = Math.max(lastWorkday, d);

  const isWorkday = (day: number): boolean => {
    if (coverage) {
      const { year } = civilFromDays(day);
      if (year < coverage.from || year > coverage.to) throw new CalendarCoverageError(id, year, coverage);
    }
    if (workdays.has(day)) return true;
    if (holidays.has(day)) return false;
    return !weekend.has(isoWeekday(day));
  };

  const computeSpans = (day: number): readonly number[] => {
    if (!isWorkday(day)) return EMPTY;
    const out: number[] = [];
    const offset = zone.stableOffset(day);
    for (const [from, to] of minutes) {
      let start: number;
      let end: number;
      if (offset !== undefined) {
        start = day * DAY_MS + from * 60_000 - offset;
        end = day * DAY_MS + to * 60_000 - offset;
      } else {
        // A daylight-saving change is near: skipped local times start or end a span when the jump ends.
        start = zone.toInstant(day, from * 60_000, "end");
        end = zone.toInstant(day, to * 60_000, "end");
      }
      if (end <= start) continue; // swallowed by a gap
      const last = out.length - 1;
      if (last > 0 && start <= out[last]!) out[last] = Math.max(out[last]!, end);
      else out.push(start, end);
    }
    return out;
  };

  const spans = (day: number): readonly number[] => {
    let s = spanCache.get(day);
    if (s === undefined) {
      s = computeSpans(day);
      if (spanCache.size >= CACHE_LIMIT) {
        spanCache.clear();
        totalCache.clear();
      }
      spanCache.set(day, s);
    }
    return s;
  };

  const total = (day: number): number => {
    let t = totalCache.get(day);
    if (t === undefined) {
      const s = spans(day);
      t = 0;
      for (let i = 0; i < s.length; i += 2) t += s[i + 1]! - s[i]!;
      totalCache.set(day, t);
    }
    return t;
  };

  const checkAhead = (day: number, idle: number): void => {
    if (everyDayOff ? day >= lastWorkday : idle > idleLimit) {
      const reason = everyDayOff
        ? "every day of the week is in weekend and no later make-up workday is listed"
        : `${idle} days in a row have no working time`;
      throw new EvaluationError(
        `Calendar "${id}" has no working time after ${formatLocalDate(day)}: ${reason}. Check its weekend, holidays and workdays.`,
      );
    }
  };

  return { id, zone, isWorkday, spans, total, checkAhead };
}
