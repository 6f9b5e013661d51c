/**
 * The timeline's time axis: instants to x positions along calendar time or
 * business time (working time only: nights, weekends and holidays have no
 * width), and the ticks to label it with. Pure; tested with fast-check.
 */
import { fromLocalDateTime, toLocalDateTime, type BusinessCalendar } from "@ruleflow/engine/calendar";

/** `calendar`: elapsed time; `business`: working time on a calendar. */
export type TimeScale = "calendar" | "business";

/** What the business axis needs of a calendar. */
export type AxisCalendar = Pick<BusinessCalendar, "businessTimeBetween" | "isWorkday" | "nextWorkingInstant" | "timeZone">;

/** A mapping from instants (epoch ms) to x in `[x0, x0 + width]`. */
export interface TimeAxis {
  scale: TimeScale;
  start: number;
  end: number;
  x0: number;
  width: number;
  /** The x of an instant; instants outside `[start, end]` are clamped to the ends. */
  x(ms: number): number;
}

/**
 * An axis over `[start, end]`. Calendar scale is linear in elapsed time;
 * business scale is linear in the working time since `start`
 * (`calendar.businessTimeBetween`), so non-working time maps to zero width.
 * A range with no (working) time maps everything to `x0`.
 */
export function timeAxis(scale: TimeScale, start: number, end: number, x0: number, width: number, calendar?: AxisCalendar): TimeAxis {
  if (scale === "business" && !calendar) throw new Error("a business time axis needs a calendar");
  const lo = Math.min(start, end);
  const hi = Math.max(start, end);
  const measure = scale === "business" ? (ms: number) => calendar!.businessTimeBetween(lo, ms) : (ms: number) => ms - lo;
  const total = measure(hi);
  return {
    scale,
    start: lo,
    end: hi,
    x0,
    width,
    x(ms: number): number {
      if (total <= 0) return x0;
      const clamped = Math.min(hi, Math.max(lo, ms));
      return x0 + (width * measure(clamped)) / total;
    },
  };
}

/** A labelled tick. */
export interface Tick {
  ms: number;
  /** `MM-DD` (with the year when it changes from the first tick), or `HH:mm` inside a day. */
  label: string;
  /** A day boundary (drawn stronger). */
  major: boolean;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** `YYYY-MM-DD HH:mm` of an instant in a zone: the label every time in the timeline uses. */
export function timeLabel(ms: number, timeZone: string): string {
  const l = toLocalDateTime(ms, timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}

/** The local midnights in `[start, end]` (and the one before `start`), in a zone. */
function midnights(start: number, end: number, timeZone: string): number[] {
  const out: number[] = [];
  const s = toLocalDateTime(start, timeZone);
  let day = { year: s.year, month: s.month, day: s.day };
  for (let guard = 0; guard < 4000; guard++) {
    const ms = fromLocalDateTime(day, timeZone);
    if (ms > end) break;
    out.push(ms);
    const next = new Date(Date.UTC(day.year, day.month - 1, day.day + 1));
    day = { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
  }
  return out;
}

/**
 * Ticks for an axis, at most about `maxTicks`, never closer than `minGap` px:
 * on a calendar axis, days (every n-th day for long ranges) or hours within
 * short ranges; on a business axis, the start of each working day (the days
 * between have no width).
 */
export function ticks(axis: TimeAxis, timeZone: string, calendar?: AxisCalendar, minGap = 56): Tick[] {
  const days = midnights(axis.start, axis.end, timeZone);
  let candidates: Tick[];
  if (axis.scale === "business" && calendar) {
    candidates = days
      .filter((d) => calendar.isWorkday(d + 12 * 3_600_000))
      .map((d) => calendar.nextWorkingInstant(d))
      .filter((ms) => ms >= axis.start && ms <= axis.end)
      .map((ms) => ({ ms, label: dayLabel(ms, timeZone), major: true }));
  } else if (axis.end - axis.start <= 2 * 86_400_000) {
    const step = axis.end - axis.start <= 12 * 3_600_000 ? 3_600_000 : 3 * 3_600_000;
    candidates = [];
    for (const d of days) {
      for (let ms = d; ms < d + 86_400_000; ms += step) {
        if (ms < axis.start || ms > axis.end) continue;
        const l = toLocalDateTime(ms, timeZone);
        candidates.push({ ms, label: l.hour === 0 ? dayLabel(ms, timeZone) : `${pad(l.hour)}:${pad(l.minute)}`, major: l.hour === 0 });
      }
    }
  } else {
    candidates = days.filter((ms) => ms >= axis.start).map((ms) => ({ ms, label: dayLabel(ms, timeZone), major: true }));
  }
  // thin out to keep labels apart
  const out: Tick[] = [];
  for (const c of candidates) {
    const last = out.at(-1);
    if (last && axis.x(c.ms) - axis.x(last.ms) < minGap) continue;
    out.push(c);
  }
  return out;
}

function dayLabel(ms: number, timeZone: string): string {
  const l = toLocalDateTime(ms, timeZone);
  return `${pad(l.month)}-${pad(l.day)}`;
}
