/**
 * ISO-8601 durations as calendar time in a time zone: the date part moves the
 * local date (keeping the local time of day), the time part is elapsed time,
 * the order Temporal's `ZonedDateTime.add` uses.
 */
import { EvaluationError } from "./errors.js";
import { parseDuration, type Duration } from "./duration.js";
import { DAY_MS, civilFromDays, daysFromCivil, daysInMonth } from "./local-date.js";
import { INSTANT_RANGE, type ZoneRules } from "./time-zone.js";

const FIELDS = ["years", "months", "weeks", "days", "hours", "minutes", "seconds"] as const;

/**
 * A duration from its ISO-8601 text or its fields.
 * @throws {@link EvaluationError} when it is neither
 * @internal
 */
export function resolveDuration(duration: string | Duration): Duration {
  if (typeof duration === "string") {
    const d = parseDuration(duration);
    if (!d) throw new EvaluationError(`Not an ISO-8601 duration: ${JSON.stringify(duration)}; write one such as "P3D", "PT4H" or "P1DT2H30M"`);
    return d;
  }
  const ok =
    typeof duration === "object" &&
    duration !== null &&
    FIELDS.every((f) => {
      const v = (duration as unknown as Record<string, unknown>)[f];
      return typeof v === "number" && Number.isFinite(v) && v >= 0 && (f === "seconds" || Number.isInteger(v));
    });
  if (!ok) throw new EvaluationError(`Expected a duration (a string such as "P3D" or parseDuration's result), got ${JSON.stringify(duration)}`);
  return duration;
}

/**
 * Add `d` to `ms` as calendar time in `zone`: `P1D` is the same local time the
 * next day (23 or 25 hours across a daylight-saving change), `P1M` from
 * January 31 is the last day of February, `PT24H` is always 24 hours.
 * @internal
 */
export function addCalendarDuration(zone: ZoneRules, ms: number, d: Duration): number {
  let t = ms;
  if (d.years || d.months || d.weeks || d.days) {
    const wall = ms + zone.offsetAt(ms);
    let day = Math.floor(wall / DAY_MS);
    const timeOfDay = wall - day * DAY_MS;
    if (d.years || d.months) {
      const c = civilFromDays(day);
      const index = c.year * 12 + (c.month - 1) + d.years * 12 + d.months;
      const year = Math.floor(index / 12);
      const month = index - year * 12 + 1;
      day = daysFromCivil(year, month, Math.min(c.day, daysInMonth(year, month)));
    }
    day += d.weeks * 7 + d.days;
    if (day * DAY_MS > INSTANT_RANGE.max) throw new EvaluationError("The duration takes the date past year 9999");
    t = zone.toInstant(day, timeOfDay, "shift");
  }
  return t + Math.round(d.hours * 3_600_000 + d.minutes * 60_000 + d.seconds * 1000);
}
