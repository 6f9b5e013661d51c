/**
 * Invariants of business-time arithmetic over random calendars (random zones,
 * working spans, weekends, holidays and make-up workdays) and the built-in
 * cn-mainland calendar, plus differential tests against a naive reference
 * that reads the wall clock with its own Intl formatter and steps minute by
 * minute.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { compileCalendar } from "../src/index.js";
import { BUILTIN_CALENDARS, getBuiltinCalendar, type BusinessCalendar, type WeekdayName } from "../src/entries/calendar.js";

const H = 3_600_000;
const M = 60_000;
const DAY = 86_400_000;
const WEEKDAYS: readonly WeekdayName[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const ZONES = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu"] as const;

interface Case {
  readonly cal: BusinessCalendar;
  readonly timeZone: string;
  readonly spans: readonly (readonly [number, number])[]; // minutes
  readonly weekend: ReadonlySet<number>; // Date#getUTCDay numbers, 0 = Sunday
  readonly holidays: ReadonlySet<string>;
  readonly workdays: ReadonlySet<string>;
  /** Instants to start from. */
  readonly from: number;
  readonly to: number;
  /** How fast-check prints the case in a counterexample. */
  readonly [fc.toStringMethod]: () => string;
}

const hhmm = (min: number): string => `${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
const dateOf = (dayIndex: number): string => new Date(Date.UTC(2025, 0, 1) + dayIndex * DAY).toISOString().slice(0, 10);
const utcDay = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

const cnDoc = BUILTIN_CALENDARS["cn-mainland"];
const cnCase: Case = {
  cal: getBuiltinCalendar("cn-mainland"),
  timeZone: "Asia/Shanghai",
  spans: [[540, 720], [810, 1080]],
  weekend: new Set([6, 0]),
  holidays: new Set(cnDoc.holidays),
  workdays: new Set(cnDoc.workdays),
  from: Date.parse("2021-01-01T00:00:00+08:00"),
  to: Date.parse("2026-06-30T00:00:00+08:00"),
  [fc.toStringMethod]: () => "cn-mainland",
};

const randomCase: fc.Arbitrary<Case> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    bounds: fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 2, maxLength: 6 }),
    weekend: fc.subarray([...WEEKDAYS], { maxLength: 4 }),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 729 }), { maxLength: 40 }),
    workdays: fc.uniqueArray(fc.integer({ min: 0, max: 729 }), { maxLength: 40 }),
  })
  .map(({ timeZone, bounds, weekend, holidays, workdays }) => {
    const sorted = [...bounds].sort((a, b) => a - b).map((q) => q * 15);
    const spans: [number, number][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) spans.push([sorted[i]!, sorted[i + 1]!]);
    const weekendDays = new Set(weekend.map((d) => (WEEKDAYS.indexOf(d) + 1) % 7));
    const holidayDates = holidays.map(dateOf);
    const workdayDates = workdays.map(dateOf).filter((d) => weekendDays.has(utcDay(d)) && !holidayDates.includes(d));
    const doc = {
      id: "random",
      timeZone,
      workingHours: spans.map(([a, b]) => [hhmm(a), hhmm(b)] as [string, string]),
      weekend,
      holidays: holidayDates,
      workdays: workdayDates,
    };
    return {
      cal: compileCalendar(doc),
      [fc.toStringMethod]: () => JSON.stringify(doc),
      timeZone,
      spans,
      weekend: weekendDays,
      holidays: new Set(holidayDates),
      workdays: new Set(workdayDates),
      from: Date.UTC(2025, 0, 1),
      to: Date.UTC(2026, 10, 1),
    };
  });

/** A calendar and an instant inside its range. */
const caseAndInstant = fc
  .oneof(fc.constant(cnCase), randomCase)
  .chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: c.from, max: c.to })));

const duration = fc.integer({ min: 0, max: 200 * H });

// ---- the naive reference ----

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offset of `zone` at `ms`, from a formatter the engine does not share. */
function refOffset(zone: string, ms: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  const s = Math.floor(ms / 1000) * 1000;
  return Date.UTC(p["year"]!, p["month"]! - 1, p["day"], p["hour"]! % 24, p["minute"], p["second"]) - s;
}

/** Working time by reading the wall clock `ms + offset`: date on the lists or not weekend, time inside a span. */
function refWorking(c: Case, ms: number, offset: number): boolean {
  const wall = new Date(ms + offset);
  const date = wall.toISOString().slice(0, 10);
  const workday = c.workdays.has(date) || (!c.holidays.has(date) && !c.weekend.has(wall.getUTCDay()));
  if (!workday) return false;
  const msOfDay = (ms + offset) - Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
  return c.spans.some(([a, b]) => msOfDay >= a * M && msOfDay < b * M);
}

/** Whether the zone's offset is the same from `a` to `b` (no daylight-saving change in between). */
const steady = (c: Case, a: number, b: number): boolean => refOffset(c.timeZone, a - DAY) === refOffset(c.timeZone, b + DAY);

describe("business time invariants", () => {
  test.prop([caseAndInstant, duration], { seed: 101, numRuns: 300 })("businessTimeBetween(a, addBusinessTime(a, d)) == d", ([c, a], d) => {
    expect(c.cal.businessTimeBetween(a, c.cal.addBusinessTime(a, d))).toBe(d);
  });

  test.prop([caseAndInstant, duration, duration], { seed: 102, numRuns: 300 })("addBusinessTime is monotonic in the duration", ([c, a], x, y) => {
    const [small, large] = x <= y ? [x, y] : [y, x];
    expect(c.cal.addBusinessTime(a, small)).toBeLessThanOrEqual(c.cal.addBusinessTime(a, large));
  });

  test.prop([caseAndInstant, fc.integer({ min: 1, max: 200 * H })], { seed: 103, numRuns: 300 })(
    "a positive duration ends in working time or exactly at the end of a working span",
    ([c, a], d) => {
      const r = c.cal.addBusinessTime(a, d);
      expect(r).toBeGreaterThan(a);
      expect(c.cal.isWorkingTime(r) || c.cal.isWorkingTime(r - 1)).toBe(true);
    },
  );

  test.prop([caseAndInstant, duration, duration], { seed: 104, numRuns: 300 })("adding x then y is adding x + y", ([c, a], x, y) => {
    expect(c.cal.addBusinessTime(c.cal.addBusinessTime(a, x), y)).toBe(c.cal.addBusinessTime(a, x + y));
  });

  test.prop([caseAndInstant, fc.integer({ min: -60 * DAY, max: 60 * DAY }), fc.integer({ min: -60 * DAY, max: 60 * DAY })], { seed: 105, numRuns: 200 })(
    "businessTimeBetween is additive and antisymmetric",
    ([c, a], db, dc) => {
      const within = (t: number) => Math.min(c.to, Math.max(c.from, t));
      const b = within(a + db);
      const e = within(a + dc);
      const ab = c.cal.businessTimeBetween(a, b);
      expect(ab + c.cal.businessTimeBetween(b, e)).toBe(c.cal.businessTimeBetween(a, e));
      expect(c.cal.businessTimeBetween(b, a)).toBe(-ab || 0);
    },
  );

  test.prop([caseAndInstant, fc.integer({ min: 1, max: 15 })], { seed: 106, numRuns: 200 })(
    "addBusinessDays lands on a workday at the start's wall-clock time, and composes",
    ([c, a], n) => {
      const start = c.cal.nextWorkingInstant(a);
      const r = c.cal.addBusinessDays(a, n);
      expect(c.cal.isWorkday(r)).toBe(true);
      expect(c.cal.addBusinessDays(c.cal.addBusinessDays(a, 1), n - 1)).toBe(r);
      if (steady(c, start, r)) {
        const off = refOffset(c.timeZone, start);
        expect((r + off) % DAY).toBe((start + off) % DAY);
        expect(c.cal.isWorkingTime(r)).toBe(true);
      }
    },
  );

  test.prop([caseAndInstant, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 24 * H })], { seed: 107, numRuns: 200 })(
    "business-mode durations are business days, then business time",
    ([c, a], days, time) => {
      const iso = `P${days}DT${time / 1000}S`;
      const expected = c.cal.addBusinessTime(days > 0 ? c.cal.addBusinessDays(a, days) : a, time);
      expect(c.cal.addDuration(a, iso, { business: true })).toBe(expected);
    },
  );
});

describe("differential: the compiled calendar against a naive wall-clock reference", () => {
  test.prop([caseAndInstant], { seed: 201, numRuns: 1000 })("isWorkingTime agrees with reading the wall clock", ([c, ms]) => {
    fc.pre(steady(c, ms - 3 * H, ms + 3 * H)); // the reference has no notion of a repeated hour
    expect(c.cal.isWorkingTime(ms)).toBe(refWorking(c, ms, refOffset(c.timeZone, ms)));
  });

  test.prop([caseAndInstant, fc.integer({ min: 0, max: 300 })], { seed: 202, numRuns: 120 })(
    "addBusinessTime agrees with counting working minutes one by one",
    ([c, a0], minutes) => {
      const a = Math.floor(a0 / M) * M;
      const result = c.cal.addBusinessTime(a, minutes * M);
      fc.pre(steady(c, a, result));
      const offset = refOffset(c.timeZone, a);
      let t = a;
      for (let left = minutes; left > 0; t += M) if (refWorking(c, t, offset)) left--;
      expect(result).toBe(t);
    },
  );
});
