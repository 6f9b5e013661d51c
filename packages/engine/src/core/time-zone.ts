/**
 * Time-zone conversion with `Intl.DateTimeFormat` only: no time-zone data is
 * bundled and nothing Node-specific is used, so it runs in browsers too.
 *
 * Calling Intl is the slow part, so offsets are probed once per UTC day and
 * cached per zone. Between two probes three days apart that agree, the
 * offset is taken as constant; this holds for every zone in the IANA
 * database, whose transitions are weeks or months apart.
 */
import { EvaluationError } from "./errors.js";
import { DAY_MS, civilFromDays, daysFromCivil, daysInMonth } from "./local-date.js";

/** Wall-clock fields of an instant in a time zone. */
export interface LocalDateTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** 1-31 */
  readonly day: number;
  /** 0-23 */
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/**
 * How a local time that does not exist (skipped by a daylight-saving jump)
 * becomes an instant: `"shift"` moves it forward by the length of the gap
 * (02:30 on a spring-forward night in New York becomes 03:30, as Temporal
 * and java.time do); `"end"` takes the instant the gap ends (03:00).
 * Repeated local times (fall-back) always take the earlier instant.
 */
export type GapResolution = "shift" | "end";

/** Offsets and conversions of one zone. @internal */
export interface ZoneRules {
  readonly timeZone: string;
  /** Milliseconds to add to the instant `ms` to read its local wall clock. */
  offsetAt(ms: number): number;
  /** The local day number (days since 1970-01-01) of the instant `ms`. */
  localDayOf(ms: number): number;
  /** Wall-clock fields of `ms`. */
  toLocal(ms: number): LocalDateTime;
  /** The offset valid throughout local day `day`, or `undefined` when it changes near that day. */
  stableOffset(day: number): number | undefined;
  /** The instant of local time `msOfDay` (0 to 24 h) on local day `day`. */
  toInstant(day: number, msOfDay: number, gap?: GapResolution): number;
}

/** First and last instants the calendar functions accept: years 1 to 9999. @internal */
export const INSTANT_RANGE = { min: daysFromCivil(1, 1, 3) * DAY_MS, max: daysFromCivil(9999, 12, 29) * DAY_MS } as const;

const PROBE_CACHE_LIMIT = 20_000;

class IntlZone implements ZoneRules {
  readonly timeZone: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #probes = new Map<number, number>();

  constructor(timeZone: string) {
    this.#format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    this.timeZone = timeZone;
  }

  #rawOffset(ms: number): number {
    const s = Math.floor(ms / 1000) * 1000;
    let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    for (const part of this.#format.formatToParts(s)) {
      const n = Number(part.value);
      if (part.type === "year") year = n;
      else if (part.type === "month") month = n;
      else if (part.type === "day") day = n;
      else if (part.type === "hour") hour = n % 24; // some engines print midnight as 24
      else if (part.type === "minute") minute = n;
      else if (part.type === "second") second = n;
    }
    return daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 - s;
  }

  #probe(k: number): number {
    let off = this.#probes.get(k);
    if (off === undefined) {
      if (this.#probes.size >= PROBE_CACHE_LIMIT) this.#probes.clear();
      off = this.#rawOffset(k * DAY_MS);
      this.#probes.set(k, off);
    }
    return off;
  }

  stableOffset(day: number): number | undefined {
    // Every instant of local day `day` lies within [day - 1, day + 2) UTC days (offsets are within ±14 h).
    const before = this.#probe(day - 1);
    return before === this.#probe(day + 2) ? before : undefined;
  }

  offsetAt(ms: number): number {
    return this.stableOffset(Math.floor(ms / DAY_MS)) ?? this.#rawOffset(ms);
  }

  localDayOf(ms: number): number {
    return Math.floor((ms + this.offsetAt(ms)) / DAY_MS);
  }

  toLocal(ms: number): LocalDateTime {
    const wall = ms + this.offsetAt(ms);
    const days = Math.floor(wall / DAY_MS);
    let rest = wall - days * DAY_MS;
    const hour = Math.floor(rest / 3_600_000);
    rest -= hour * 3_600_000;
    const minute = Math.floor(rest / 60_000);
    rest -= minute * 60_000;
    const second = Math.floor(rest / 1000);
    return { ...civilFromDays(days), hour, minute, second, millisecond: rest - second * 1000 };
  }

  toInstant(day: number, msOfDay: number, gap: GapResolution = "shift"): number {
    const wall = day * DAY_MS + msOfDay;
    const stable = this.stableOffset(Math.floor(wall / DAY_MS));
    if (stable !== undefined) return wall - stable;
    // A transition is near: try the offsets in force a day before and a day after.
    const before = this.#rawOffset(wall - DAY_MS);
    const after = this.#rawOffset(wall + DAY_MS);
    const early = wall - before;
    const late = wall - after;
    const earlyOk = this.#rawOffset(early) === before;
    const lateOk = this.#rawOffset(late) === after;
    if (earlyOk && lateOk) return Math.min(early, late); // repeated wall time: the earlier instant
    if (earlyOk) return early;
    if (lateOk) return late;
    // Skipped wall time (a gap): `early` is the wall time read with the old offset, past the jump.
    return gap === "shift" ? early : this.#transitionBetween(Math.min(early, late), Math.max(early, late));
  }

  #transitionBetween(lo: number, hi: number): number {
    let a = Math.floor(lo / 1000);
    let b = Math.ceil(hi / 1000);
    const first = this.#rawOffset(a * 1000);
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (this.#rawOffset(mid * 1000) === first) a = mid;
      else b = mid;
    }
    return b * 1000;
  }
}

const zones = new Map<string, ZoneRules>();

/** True when `timeZone` is a time zone this runtime's Intl knows (`"Asia/Shanghai"`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (zones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The cached rules of a zone.
 * @throws {@link EvaluationError} for an unknown zone
 * @internal
 */
export function getZoneRules(timeZone: string): ZoneRules {
  let zone = zones.get(timeZone);
  if (!zone) {
    if (!isValidTimeZone(timeZone)) {
      throw new EvaluationError(`Unknown time zone ${JSON.stringify(timeZone)}; use an IANA name such as "Asia/Shanghai"`);
    }
    zone = new IntlZone(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

/** Reject what is not an instant the calendar functions can handle. @internal */
export function checkInstant(ms: number, what = "instant"): void {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < INSTANT_RANGE.min || ms > INSTANT_RANGE.max) {
    throw new EvaluationError(`Expected the ${what} as epoch milliseconds between years 1 and 9999, got ${String(ms)}`);
  }
}

/**
 * The local date and time of an instant in a time zone.
 *
 * @param ms - epoch milliseconds
 * @param timeZone - an IANA zone name
 * @returns the wall-clock fields
 * @example
 * ```ts
 * toLocalDateTime(Date.parse("2026-02-13T08:00:00Z"), "Asia/Shanghai"); // { year: 2026, month: 2, day: 13, hour: 16, ... }
 * ```
 * @see docs/calendars.md
 */
export function toLocalDateTime(ms: number, timeZone: string): LocalDateTime {
  checkInstant(ms);
  return getZoneRules(timeZone).toLocal(ms);
}

/**
 * The instant of a local date and time in a time zone. Local times skipped by
 * a daylight-saving jump resolve as `options.gap` says (default `"shift"`:
 * 02:30 becomes 03:30); repeated local times take the earlier instant.
 *
 * @param local - the wall-clock fields; hour, minute, second and millisecond default to 0
 * @param timeZone - an IANA zone name
 * @returns epoch milliseconds
 * @throws {@link EvaluationError} for fields out of range or an unknown zone
 * @example
 * ```ts
 * fromLocalDateTime({ year: 2026, month: 2, day: 14, hour: 9 }, "Asia/Shanghai"); // Date.parse("2026-02-14T09:00:00+08:00")
 * ```
 * @see docs/calendars.md
 */
export function fromLocalDateTime(
  local: Pick<LocalDateTime, "year" | "month" | "day"> & Partial<LocalDateTime>,
  timeZone: string,
  options?: { gap?: GapResolution | undefined },
): number {
  const { year, month, day, hour = 0, minute = 0, second = 0, millisecond = 0 } = local;
  const ok =
    [year, month, day, hour, minute, second, millisecond].every(Number.isInteger) &&
    year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && millisecond >= 0 && millisecond <= 999;
  if (!ok) throw new EvaluationError(`Not a valid local date-time: ${JSON.stringify(local)}`);
  const msOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
  return getZoneRules(timeZone).toInstant(daysFromCivil(year, month, day), msOfDay, options?.gap ?? "shift");
}
