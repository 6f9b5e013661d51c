/**
 * Time-zone conversion (Asia/Shanghai has no daylight saving; America/New_York
 * springs forward on 2026-03-08 02:00 and falls back on 2026-11-01 02:00) and
 * business time across those changes.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { EvaluationError, compileCalendar } from "../src/index.js";
import { fromLocalDateTime, toLocalDateTime } from "../src/entries/calendar.js";

const H = 3_600_000;
const utc = (iso: string): number => Date.parse(`${iso}Z`);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

describe("toLocalDateTime", () => {
  it("reads Asia/Shanghai as UTC+8 all year", () => {
    expect(toLocalDateTime(utc("2026-02-13T08:00:00"), "Asia/Shanghai")).toEqual({
      year: 2026, month: 2, day: 13, hour: 16, minute: 0, second: 0, millisecond: 0,
    });
    expect(toLocalDateTime(utc("2026-07-01T15:59:59.999"), "Asia/Shanghai")).toMatchObject({ day: 1, hour: 23, minute: 59, millisecond: 999 });
    expect(toLocalDateTime(utc("2026-12-31T16:00:00"), "Asia/Shanghai")).toMatchObject({ year: 2027, month: 1, day: 1, hour: 0 });
  });

  it("follows New York across both changes", () => {
    expect(toLocalDateTime(utc("2026-03-08T06:59:59"), "America/New_York")).toMatchObject({ day: 8, hour: 1, minute: 59, second: 59 });
    expect(toLocalDateTime(utc("2026-03-08T07:00:00"), "America/New_York")).toMatchObject({ day: 8, hour: 3, minute: 0 });
    expect(toLocalDateTime(utc("2026-11-01T05:30:00"), "America/New_York")).toMatchObject({ day: 1, hour: 1, minute: 30 });
    expect(toLocalDateTime(utc("2026-11-01T06:30:00"), "America/New_York")).toMatchObject({ day: 1, hour: 1, minute: 30 });
  });

  it("refuses unknown zones and impossible instants with an EvaluationError", () => {
    expect(() => toLocalDateTime(0, "Mars/Olympus")).toThrow(EvaluationError);
    expect(() => toLocalDateTime(Number.NaN, "UTC")).toThrow(EvaluationError);
  });
});

describe("fromLocalDateTime", () => {
  it("maps Shanghai wall time back by eight hours", () => {
    expect(iso(fromLocalDateTime({ year: 2026, month: 2, day: 14, hour: 9 }, "Asia/Shanghai"))).toBe("2026-02-14T01:00:00");
  });

  it("moves a skipped New York time forward by the gap, or to the gap's end", () => {
    const local = { year: 2026, month: 3, day: 8, hour: 2, minute: 30 };
    expect(iso(fromLocalDateTime(local, "America/New_York"))).toBe("2026-03-08T07:30:00"); // 03:30 EDT
    expect(iso(fromLocalDateTime(local, "America/New_York", { gap: "end" }))).toBe("2026-03-08T07:00:00"); // 03:00 EDT
    expect(iso(fromLocalDateTime({ year: 2026, month: 3, day: 8, hour: 3 }, "America/New_York"))).toBe("2026-03-08T07:00:00");
    expect(iso(fromLocalDateTime({ year: 2026, month: 3, day: 8, hour: 1, minute: 59 }, "America/New_York"))).toBe("2026-03-08T06:59:00");
  });

  it("takes the earlier of two repeated New York times", () => {
    expect(iso(fromLocalDateTime({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, "America/New_York"))).toBe("2026-11-01T05:30:00");
    expect(iso(fromLocalDateTime({ year: 2026, month: 11, day: 1, hour: 2 }, "America/New_York"))).toBe("2026-11-01T07:00:00");
  });

  it("refuses impossible dates", () => {
    expect(() => fromLocalDateTime({ year: 2026, month: 2, day: 29 }, "UTC")).toThrow(EvaluationError);
    expect(() => fromLocalDateTime({ year: 2026, month: 1, day: 1, hour: 24 }, "UTC")).toThrow(EvaluationError);
  });

  const zones = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"] as const;
  test.prop([fc.constantFrom(...zones), fc.integer({ min: utc("1990-01-01T00:00:00"), max: utc("2040-01-01T00:00:00") })], { seed: 11, numRuns: 400 })(
    "round-trips every instant whose wall time is not repeated",
    (zone, ms) => {
      const local = toLocalDateTime(ms, zone);
      const back = fromLocalDateTime(local, zone);
      if (back !== ms) {
        // Only the second pass through a repeated hour maps back to the first.
        expect(back).toBeLessThan(ms);
        expect(toLocalDateTime(back, zone)).toEqual(local);
      }
    },
  );

  test.prop([fc.constantFrom(...zones), fc.integer({ min: utc("1990-01-01T00:00:00"), max: utc("2040-01-01T00:00:00") })], { seed: 12, numRuns: 300 })(
    "agrees with a fresh Intl formatter",
    (zone, ms) => {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" })
          .formatToParts(ms)
          .map((p) => [p.type, p.value]),
      );
      const local = toLocalDateTime(ms, zone);
      expect([local.year, local.month, local.day, local.hour, local.minute, local.second]).toEqual(
        ["year", "month", "day", "hour", "minute", "second"].map((k) => Number(parts[k]) % (k === "hour" ? 24 : Infinity)),
      );
    },
  );
});

describe("business time in New York across daylight-saving changes", () => {
  const ny = compileCalendar({ id: "ny-office", timeZone: "America/New_York", workingHours: [["09:00", "17:00"]] });
  const nyLocal = (y: number, mo: number, d: number, h: number, mi = 0) => fromLocalDateTime({ year: y, month: mo, day: d, hour: h, minute: mi }, "America/New_York");

  it("keeps working hours on the wall clock before and after the change", () => {
    expect(ny.isWorkingTime(utc("2026-03-06T14:00:00"))).toBe(true); // 09:00 EST
    expect(ny.isWorkingTime(utc("2026-03-09T13:00:00"))).toBe(true); // 09:00 EDT
    expect(ny.isWorkingTime(utc("2026-03-09T12:59:59"))).toBe(false);
    expect(ny.isWorkingTime(utc("2026-03-09T21:00:00"))).toBe(false); // 17:00 EDT
  });

  it("adds business hours and days over the spring-forward weekend", () => {
    expect(iso(ny.addBusinessTime(nyLocal(2026, 3, 6, 16), 2 * H))).toBe("2026-03-09T14:00:00"); // Mon 10:00 EDT
    expect(iso(ny.addBusinessDays(nyLocal(2026, 3, 6, 16), 1))).toBe("2026-03-09T20:00:00"); // Mon 16:00 EDT
    expect(ny.businessTimeBetween(nyLocal(2026, 3, 6, 9), nyLocal(2026, 3, 9, 17))).toBe(16 * H);
  });

  it("adds calendar days on the wall clock, hours as elapsed time", () => {
    expect(iso(ny.addDuration(nyLocal(2026, 3, 7, 12), "P1D"))).toBe("2026-03-08T16:00:00"); // 12:00 EDT, 23 h later
    expect(iso(ny.addDuration(nyLocal(2026, 3, 7, 12), "PT24H"))).toBe("2026-03-08T17:00:00"); // 13:00 EDT
    expect(iso(ny.addDuration(nyLocal(2026, 10, 31, 12), "P1D"))).toBe("2026-11-01T17:00:00"); // 12:00 EST, 25 h later
    expect(iso(ny.addDuration(nyLocal(2026, 3, 7, 2, 30), "P1D"))).toBe("2026-03-08T07:30:00"); // 02:30 skipped: 03:30 EDT
  });

  it("counts 23 and 25 working hours on the change days of an all-day calendar", () => {
    const allDay = compileCalendar({ id: "ny-24x7", timeZone: "America/New_York", workingHours: [["00:00", "24:00"]], weekend: [] });
    expect(allDay.businessTimeBetween(nyLocal(2026, 3, 8, 0), nyLocal(2026, 3, 9, 0))).toBe(23 * H);
    expect(allDay.businessTimeBetween(nyLocal(2026, 11, 1, 0), nyLocal(2026, 11, 2, 0))).toBe(25 * H);
    expect(allDay.addBusinessTime(nyLocal(2026, 3, 8, 0), 23 * H)).toBe(nyLocal(2026, 3, 9, 0));
    expect(allDay.isWorkingTime(nyLocal(2026, 3, 8, 3))).toBe(true);
  });

  it("shortens or lengthens a span that contains the change", () => {
    const night = compileCalendar({ id: "ny-night", timeZone: "America/New_York", workingHours: [["01:00", "03:00"]], weekend: [] });
    expect(night.businessTimeBetween(nyLocal(2026, 3, 8, 0), nyLocal(2026, 3, 8, 12))).toBe(1 * H); // 02:00-03:00 never happens
    expect(night.businessTimeBetween(nyLocal(2026, 11, 1, 0), nyLocal(2026, 11, 1, 12))).toBe(3 * H); // 01:00-02:00 happens twice
    expect(night.businessTimeBetween(nyLocal(2026, 3, 9, 0), nyLocal(2026, 3, 9, 12))).toBe(2 * H);
  });
});
