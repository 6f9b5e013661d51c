/**
 * Accounting periods (day, ISO week, month, quarter, year) in a time zone:
 * which period an instant falls in, the bounds of a period named by its key
 * (`2026-02`, `2026-Q1`, `2026-W07`), and the period before. Budgets,
 * limits and settlements all count per period, and a period's bounds depend
 * on the zone: February in Shanghai starts eight hours before February in UTC.
 *
 * Time zones are `UTC`, a fixed offset (`+08:00`) or an IANA name
 * (`Asia/Shanghai`, resolved with the platform's `Intl`).
 */
import { getZoneRules } from "../core/time-zone.js";
import { EvaluationError } from "../core/errors.js";

/** Units a budget, limit or rebate period can count in. */
export type PeriodUnit = "day" | "week" | "month" | "quarter" | "year";

/** Every {@link PeriodUnit}. */
export const PERIOD_UNITS = ["day", "week", "month", "quarter", "year"] as const satisfies readonly PeriodUnit[];

/** One period: its key and its bounds `[start, end)` in epoch milliseconds. */
export interface Period {
  /** The unit, or `lifetime` for "no period" (one counter for ever). */
  readonly unit: PeriodUnit | "lifetime";
  /** `2026-02-10`, `2026-W07`, `2026-02`, `2026-Q1`, `2026` or `lifetime`. */
  readonly key: string;
  /** First instant, inclusive (epoch ms; -Infinity for lifetime). */
  readonly start: number;
  /** First instant after the period, exclusive (epoch ms; Infinity for lifetime). */
  readonly end: number;
}

/** The period that never ends. */
export const LIFETIME: Period = Object.freeze({ unit: "lifetime", key: "lifetime", start: -Infinity, end: Infinity });

const DAY = 86_400_000;
const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;
/**
 * Why `zone` is not a usable time zone, or undefined when it is.
 *
 * @param zone - `UTC`, `+08:00` or an IANA name
 * @returns a problem message, or undefined
 * @example
 * ```ts
 * checkTimeZone("Asia/Shanghai"); // undefined
 * checkTimeZone("Mars/Olympus");  // 'unknown time zone "Mars/Olympus"; ...'
 * ```
 */
export function checkTimeZone(zone: string): string | undefined {
  if (typeof zone !== "string") return `expected a time zone name such as "Asia/Shanghai", got ${zone === null ? "null" : typeof zone}`;
  if (zone === "UTC" || zone === "Z") return undefined;
  const m = OFFSET.exec(zone);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3]);
    if (minutes < 60 && hours * 60 + minutes <= 14 * 60) return undefined;
    return `"${zone}" is not a UTC offset; offsets run from -14:00 to +14:00 with minutes under 60`;
  }
  try {
    getZoneRules(zone);
    return undefined;
  } catch {
    return `unknown time zone "${zone}"; use UTC, an offset such as +08:00, or an IANA name such as Asia/Shanghai`;
  }
}

/**
 * The zone's offset from UTC at an instant, in milliseconds (+08:00 is 28,800,000).
 *
 * @param ms - epoch milliseconds
 * @param zone - a zone accepted by {@link checkTimeZone}
 * @returns local time minus UTC, in ms
 * @throws {@link EvaluationError} for a non-finite `ms` or a zone {@link checkTimeZone} refuses
 * @example
 * ```ts
 * zoneOffset(Date.parse("2026-02-01T00:00:00Z"), "Asia/Shanghai"); // 28800000
 * ```
 */
export function zoneOffset(ms: number, zone: string): number {
  checkInstantAndZone("zoneOffset", ms, zone);
  return offsetAt(ms, zone);
}

/** Throw unless `ms` is a finite instant and `zone` a usable time zone. */
function checkInstantAndZone(fn: string, ms: unknown, zone: string): void {
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new EvaluationError(`${fn}: ms must be an instant as epoch milliseconds (Date.parse(...)), got ${typeof ms === "number" ? String(ms) : typeof ms}`);
  }
  checkZone(fn, zone);
}

function checkZone(fn: string, zone: string): void {
  const problem = checkTimeZone(zone);
  if (problem) throw new EvaluationError(`${fn}: zone: ${problem}`);
}

function offsetAt(ms: number, zone: string): number {
  if (zone === "UTC" || zone === "Z") return 0;
  const m = OFFSET.exec(zone);
  if (m) return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  // IANA zones: the calendar module's cached zone rules.
  const l = getZoneRules(zone).toLocal(ms);
  return utc(l.year, l.month, l.day) + l.hour * 3_600_000 + l.minute * 60_000 + l.second * 1000 + l.millisecond - ms;
}

function utc(y: number, m: number, d: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return date.getTime();
}

/** The instant of local midnight starting day y-m-d in `zone` (m may overflow: 13 is January next year). */
function midnight(y: number, m: number, d: number, zone: string): number {
  const local = utc(y, m, d);
  const first = local - offsetAt(local, zone);
  const second = local - offsetAt(first, zone);
  return second;
}

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

function localDate(ms: number, zone: string): LocalDate {
  const date = new Date(ms + offsetAt(ms, zone));
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** ISO weekday, Monday 1 ... Sunday 7, of a local date. */
function isoWeekday(y: number, m: number, d: number): number {
  const wd = new Date(utc(y, m, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

function isoWeek(y: number, m: number, d: number): { year: number; week: number; monday: LocalDate } {
  const day = utc(y, m, d);
  const wd = isoWeekday(y, m, d);
  const thursday = new Date(day + (4 - wd) * DAY);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - utc(year, 1, 1)) / DAY / 7);
  const mon = new Date(day - (wd - 1) * DAY);
  return { year, week, monday: { y: mon.getUTCFullYear(), m: mon.getUTCMonth() + 1, d: mon.getUTCDate() } };
}

/**
 * The period of `unit` that contains an instant, in a time zone.
 *
 * @param ms - epoch milliseconds
 * @param unit - `day`, `week` (ISO, Monday first), `month`, `quarter`, `year` or `lifetime`
 * @param zone - the time zone whose calendar counts
 * @returns the {@link Period}
 * @throws {@link EvaluationError} for an unknown unit, a non-finite `ms` or an unusable zone
 * @example
 * ```ts
 * periodContaining(Date.parse("2026-03-31T20:00:00Z"), "month", "Asia/Shanghai").key; // "2026-04"
 * ```
 */
export function periodContaining(ms: number, unit: PeriodUnit | "lifetime", zone: string): Period {
  if (unit !== "lifetime" && !(PERIOD_UNITS as readonly unknown[]).includes(unit)) {
    throw new EvaluationError(`periodContaining: unit must be one of ${PERIOD_UNITS.join(", ")}, lifetime; got ${typeof unit === "string" ? JSON.stringify(unit) : String(unit)}`);
  }
  checkInstantAndZone("periodContaining", ms, zone);
  return containing(ms, unit, zone);
}

function containing(ms: number, unit: PeriodUnit | "lifetime", zone: string): Period {
  if (unit === "lifetime") return LIFETIME;
  const { y, m, d } = localDate(ms, zone);
  switch (unit) {
    case "day":
      return { unit, key: `${y}-${pad(m)}-${pad(d)}`, start: midnight(y, m, d, zone), end: midnight(y, m, d + 1, zone) };
    case "week": {
      const w = isoWeek(y, m, d);
      const start = midnight(w.monday.y, w.monday.m, w.monday.d, zone);
      return { unit, key: `${w.year}-W${pad(w.week)}`, start, end: midnight(w.monday.y, w.monday.m, w.monday.d + 7, zone) };
    }
    case "month":
      return { unit, key: `${y}-${pad(m)}`, start: midnight(y, m, 1, zone), end: midnight(y, m + 1, 1, zone) };
    case "quarter": {
      const q = Math.floor((m - 1) / 3);
      return { unit, key: `${y}-Q${q + 1}`, start: midnight(y, q * 3 + 1, 1, zone), end: midnight(y, q * 3 + 4, 1, zone) };
    }
    case "year":
      return { unit, key: `${y}`, start: midnight(y, 1, 1, zone), end: midnight(y + 1, 1, 1, zone) };
  }
}

/**
 * The period named by a key, in a time zone.
 *
 * @param key - `2026`, `2026-Q1`, `2026-02`, `2026-W07` or `2026-02-10`
 * @param zone - the time zone whose calendar counts
 * @returns the {@link Period}, or a string saying why `key` names no period
 * @throws {@link EvaluationError} when `key` is not a string or `zone` is not usable
 * @example
 * ```ts
 * const feb = parsePeriod("2026-02", "+08:00");
 * if (typeof feb !== "string") new Date(feb.start).toISOString(); // "2026-01-31T16:00:00.000Z"
 * ```
 */
export function parsePeriod(key: string, zone: string): Period | string {
  if (typeof key !== "string") throw new EvaluationError(`parsePeriod: key must be a string such as "2026-02", got ${String(key)}`);
  checkZone("parsePeriod", zone);
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(key))) return containing(midnight(Number(m[1]), 1, 1, zone), "year", zone);
  if ((m = /^(\d{4})-Q([1-4])$/.exec(key))) return containing(midnight(Number(m[1]), Number(m[2]) * 3 - 2, 1, zone), "quarter", zone);
  if ((m = /^(\d{4})-(\d{2})$/.exec(key)) && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    return containing(midnight(Number(m[1]), Number(m[2]), 1, zone), "month", zone);
  }
  if ((m = /^(\d{4})-W(\d{2})$/.exec(key))) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    // ISO week 1 is the week with January 4th.
    const jan4 = isoWeek(year, 1, 4).monday;
    const p = containing(midnight(jan4.y, jan4.m, jan4.d + (week - 1) * 7, zone), "week", zone);
    if (week >= 1 && p.key === key) return p;
  }
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key))) {
    const p = containing(midnight(Number(m[1]), Number(m[2]), Number(m[3]), zone), "day", zone);
    if (p.key === key) return p;
  }
  return `"${key}" is not a period; write 2026, 2026-Q1, 2026-02, 2026-W07 or 2026-02-10`;
}

/**
 * The period just before a period of the same unit.
 *
 * @param period - a period (not lifetime)
 * @param zone - the time zone the period was computed in
 * @returns the previous period
 * @throws {@link EvaluationError} when `period` is not a Period or `zone` is not usable
 * @example
 * ```ts
 * previousPeriod(parsePeriod("2026-01", "UTC") as Period, "UTC").key; // "2025-12"
 * ```
 */
export function previousPeriod(period: Period, zone: string): Period {
  const ok =
    typeof period === "object" && period !== null && (period.unit === "lifetime" || ((PERIOD_UNITS as readonly unknown[]).includes(period.unit) && Number.isFinite(period.start)));
  if (!ok) throw new EvaluationError("previousPeriod: period must be a Period from parsePeriod or periodContaining ({ unit, key, start, end })");
  checkZone("previousPeriod", zone);
  if (period.unit === "lifetime") return LIFETIME;
  return containing(period.start - 1, period.unit, zone);
}
