/**
 * ISO-8601 durations (`P3D`, `PT3H`, `P1Y2M`, `P2W`). Years and months are
 * calendar units, applied in UTC; weeks, days, hours, minutes and seconds
 * are fixed lengths.
 */

/** A parsed ISO-8601 duration. */
export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const PATTERN =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Parse an ISO-8601 duration; returns `undefined` when `text` is not one.
 *
 * @example
 * ```ts
 * parseDuration("PT3H"); // { hours: 3, ... }
 * ```
 */
export function parseDuration(text: string): Duration | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const n = (i: number): number => (m[i] ? Number(m[i]) : 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** Add a duration to an instant (epoch ms), years and months by the UTC calendar. */
export function addDuration(ms: number, d: Duration, sign: 1 | -1 = 1): number {
  let t = ms;
  if (d.years || d.months) {
    const date = new Date(t);
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + sign * (d.years * 12 + d.months));
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, lastDay));
    t = date.getTime();
  }
  const fixed = ((d.weeks * 7 + d.days) * 24 + d.hours) * 3_600_000 + d.minutes * 60_000 + d.seconds * 1000;
  return t + sign * fixed;
}
