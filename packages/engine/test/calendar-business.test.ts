/**
 * Business-time arithmetic on the built-in cn-mainland calendar, hand-computed
 * around the 2026 Spring Festival (Feb 15-23 off, Saturdays Feb 14 and Feb 28
 * worked) and New Year (Jan 1-3 off, Sunday Jan 4 worked).
 */
import { describe, expect, it } from "vitest";
import { CalendarCoverageError, EvaluationError, compileCalendar, isRuleflowError } from "../src/index.js";
import { getBuiltinCalendar } from "../src/entries/calendar.js";

const cn = getBuiltinCalendar("cn-mainland");
const H = 3_600_000;
const M = 60_000;

/** Epoch ms of a Beijing wall-clock time `YYYY-MM-DDTHH:MM`. */
const bj = (local: string): number => Date.parse(`${local}:00+08:00`);
/** Beijing wall clock of `ms` as `YYYY-MM-DDTHH:MM` (seconds when not zero). */
const show = (ms: number): string => {
  const s = new Date(ms + 8 * H).toISOString();
  return s.endsWith(":00.000Z") ? s.slice(0, 16) : s.slice(0, 23);
};

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return expect.fail("expected an error");
}

describe("working days of cn-mainland in 2026", () => {
  it.each([
    ["2026-01-01", false], ["2026-01-02", false], ["2026-01-03", false], ["2026-01-04", true], ["2026-01-05", true],
    ["2026-02-13", true], ["2026-02-14", true], ["2026-02-15", false], ["2026-02-16", false], ["2026-02-20", false],
    ["2026-02-21", false], ["2026-02-23", false], ["2026-02-24", true], ["2026-02-27", true], ["2026-02-28", true],
    ["2026-03-01", false], ["2026-03-02", true], ["2026-05-09", true], ["2026-09-20", true], ["2026-10-07", false],
    ["2026-10-10", true], ["2026-10-11", false],
  ] as const)("%s is a workday: %s", (date, expected) => {
    expect(cn.isWorkday(bj(`${date}T10:00`))).toBe(expected);
    expect(cn.isWorkday(bj(`${date}T00:00`))).toBe(expected);
    expect(cn.isWorkday(bj(`${date}T23:59`))).toBe(expected);
  });

  it("keeps 除夕 2024-02-09 a working day: the notice only encourages giving it off", () => {
    expect(cn.isWorkday(bj("2024-02-09T10:00"))).toBe(true);
    expect(cn.isWorkday(bj("2024-02-10T10:00"))).toBe(false);
  });

  it("counts 248 working days in 2026 and in 2025 (261 weekdays, 13 statutory days off)", () => {
    const count = (year: number) => {
      let n = 0;
      for (let t = bj(`${year}-01-01T12:00`); t < bj(`${year + 1}-01-01T00:00`); t += 24 * H) if (cn.isWorkday(t)) n++;
      return n;
    };
    expect(count(2026)).toBe(248);
    expect(count(2025)).toBe(248);
    expect(cn.businessTimeBetween(bj("2026-01-01T00:00"), bj("2027-01-01T00:00"))).toBe(248 * 7.5 * H);
  });
});

describe("working hours: spans are [start, end)", () => {
  it.each([
    ["2026-02-13T08:59", false], ["2026-02-13T09:00", true], ["2026-02-13T11:59", true], ["2026-02-13T12:00", false],
    ["2026-02-13T12:45", false], ["2026-02-13T13:29", false], ["2026-02-13T13:30", true], ["2026-02-13T17:59", true],
    ["2026-02-13T18:00", false], ["2026-02-14T09:00", true], ["2026-02-16T10:00", false], ["2026-03-01T10:00", false],
  ] as const)("%s is working time: %s", (local, expected) => {
    expect(cn.isWorkingTime(bj(local))).toBe(expected);
  });

  it("treats the last millisecond before 12:00 and 18:00 as working time", () => {
    expect(cn.isWorkingTime(bj("2026-02-13T12:00") - 1)).toBe(true);
    expect(cn.isWorkingTime(bj("2026-02-13T18:00") - 1)).toBe(true);
    expect(cn.isWorkingTime(bj("2026-02-13T09:00") - 1)).toBe(false);
  });

  it.each([
    ["2026-02-13T10:15", "2026-02-13T10:15"],
    ["2026-02-13T12:00", "2026-02-13T13:30"],
    ["2026-02-13T12:59", "2026-02-13T13:30"],
    ["2026-02-13T18:00", "2026-02-14T09:00"],
    ["2026-02-14T18:00", "2026-02-24T09:00"],
    ["2026-02-18T10:00", "2026-02-24T09:00"],
    ["2026-02-27T22:00", "2026-02-28T09:00"],
    ["2025-12-31T18:30", "2026-01-04T09:00"],
  ])("the next working instant from %s is %s", (from, expected) => {
    expect(show(cn.nextWorkingInstant(bj(from)))).toBe(expected);
  });
});

describe("addBusinessTime", () => {
  it.each([
    ["2026-02-13T16:00", 3 * H, "2026-02-14T10:00"], // Friday 2 h, then the make-up Saturday
    ["2026-02-13T16:00", 2 * H, "2026-02-13T18:00"], // ends at the end of a span, not next morning
    ["2026-02-13T16:00", 2 * H + 1, "2026-02-14T09:00:00.001"],
    ["2026-02-13T11:00", 1 * H, "2026-02-13T12:00"],
    ["2026-02-13T11:00", 1.5 * H, "2026-02-13T14:00"], // lunch 12:00-13:30 skipped
    ["2026-02-13T12:30", 1 * H, "2026-02-13T14:30"], // starting inside lunch
    ["2026-02-13T12:00", 0, "2026-02-13T12:00"], // zero changes nothing, even outside working time
    ["2026-02-14T09:00", 7.5 * H, "2026-02-14T18:00"],
    ["2026-02-14T09:00", 7.5 * H + M, "2026-02-24T09:01"], // the whole festival skipped
    ["2026-02-14T17:00", 4 * H, "2026-02-24T12:00"],
    ["2026-02-27T17:00", 2 * H, "2026-02-28T10:00"], // Saturday Feb 28 is worked
    ["2026-02-28T17:00", 2 * H, "2026-03-02T10:00"], // Sunday Mar 1 is not
    ["2025-12-31T17:00", 2 * H, "2026-01-04T10:00"], // New Year off, Sunday Jan 4 worked
    ["2026-02-13T20:00", 8 * H, "2026-02-24T09:30"],
  ] as const)("from %s plus %d ms is %s", (from, duration, expected) => {
    expect(show(cn.addBusinessTime(bj(from), duration))).toBe(expected);
  });

  it("skips whole days: 5,000 business hours take milliseconds and count back exactly", () => {
    const start = bj("2022-01-04T10:00");
    const t0 = performance.now();
    const end = cn.addBusinessTime(start, 5000 * H);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(cn.businessTimeBetween(start, end)).toBe(5000 * H);
    expect(cn.isWorkingTime(end - 1)).toBe(true);
  });

  it("refuses negative or non-finite durations with an EvaluationError", () => {
    expect(thrownBy(() => cn.addBusinessTime(bj("2026-02-13T10:00"), -1))).toBeInstanceOf(EvaluationError);
    expect(thrownBy(() => cn.addBusinessTime(bj("2026-02-13T10:00"), Number.NaN))).toBeInstanceOf(EvaluationError);
    expect(thrownBy(() => cn.addBusinessTime(Number.POSITIVE_INFINITY, 1))).toBeInstanceOf(EvaluationError);
  });
});

describe("addBusinessDays: the same local time on the n-th following workday", () => {
  it.each([
    ["2026-02-13T16:00", 0, "2026-02-13T16:00"],
    ["2026-02-13T16:00", 1, "2026-02-14T16:00"],
    ["2026-02-13T16:00", 2, "2026-02-24T16:00"],
    ["2026-02-13T16:00", 5, "2026-02-27T16:00"],
    ["2026-02-13T16:00", 6, "2026-02-28T16:00"],
    ["2026-02-13T16:00", 7, "2026-03-02T16:00"],
    ["2026-02-13T19:00", 1, "2026-02-24T09:00"], // starts from the next working instant, Sat 09:00
    ["2026-02-16T10:00", 1, "2026-02-25T09:00"], // a day off: the start is Tue Feb 24 09:00
    ["2026-02-13T12:30", 1, "2026-02-14T13:30"], // lunch: from 13:30
    ["2026-02-13T12:30", 0, "2026-02-13T13:30"],
    ["2025-12-31T10:00", 1, "2026-01-04T10:00"],
  ] as const)("from %s plus %d business days is %s", (from, n, expected) => {
    expect(show(cn.addBusinessDays(bj(from), n))).toBe(expected);
  });

  it("refuses fractional or negative day counts", () => {
    expect(thrownBy(() => cn.addBusinessDays(bj("2026-02-13T10:00"), 1.5))).toBeInstanceOf(EvaluationError);
    expect(thrownBy(() => cn.addBusinessDays(bj("2026-02-13T10:00"), -1))).toBeInstanceOf(EvaluationError);
  });
});

describe("addDuration", () => {
  const from = bj("2026-02-13T16:00");

  it("business mode: days first as business days, then hours as business hours", () => {
    expect(show(cn.addDuration(from, "PT3H", { business: true }))).toBe("2026-02-14T10:00");
    expect(show(cn.addDuration(from, "P1D", { business: true }))).toBe("2026-02-14T16:00");
    expect(show(cn.addDuration(from, "P1DT2H", { business: true }))).toBe("2026-02-14T18:00");
    expect(show(cn.addDuration(from, "P1DT3H", { business: true }))).toBe("2026-02-24T10:00");
    expect(show(cn.addDuration(from, "P2DT30M", { business: true }))).toBe("2026-02-24T16:30");
    expect(show(cn.addDuration(from, "PT0S", { business: true }))).toBe("2026-02-13T16:00");
  });

  it("business mode: a week is the working days of a normal week (5 here)", () => {
    expect(show(cn.addDuration(bj("2026-03-02T10:00"), "P1W", { business: true }))).toBe("2026-03-09T10:00");
    expect(show(cn.addDuration(bj("2026-02-13T10:00"), "P1W", { business: true }))).toBe("2026-02-27T10:00");
  });

  it("business mode refuses years and months with an explanation", () => {
    const e = thrownBy(() => cn.addDuration(from, "P1M", { business: true }));
    expect(e).toBeInstanceOf(EvaluationError);
    expect((e as Error).message).toMatch(/cannot use years or months/);
    expect(thrownBy(() => cn.addDuration(from, "P1Y", { business: true }))).toBeInstanceOf(EvaluationError);
  });

  it("calendar mode works in the calendar's zone and needs no holiday data", () => {
    expect(show(cn.addDuration(from, "P1D"))).toBe("2026-02-14T16:00");
    expect(show(cn.addDuration(from, "PT24H", { business: false }))).toBe("2026-02-14T16:00");
    expect(show(cn.addDuration(bj("2026-01-31T10:00"), "P1M"))).toBe("2026-02-28T10:00");
    expect(show(cn.addDuration(bj("2026-03-01T07:00"), "P1M"))).toBe("2026-04-01T07:00"); // in UTC it is still Feb 28: P1M there gives Mar 28
    expect(show(cn.addDuration(bj("2026-03-01T07:00"), "P1D"))).toBe("2026-03-02T07:00");
    expect(show(cn.addDuration(bj("2029-06-01T10:00"), "P1Y2M3DT4H"))).toBe("2030-08-04T14:00");
  });

  it("accepts parsed durations and refuses text that is not one", () => {
    expect(show(cn.addDuration(from, { years: 0, months: 0, weeks: 0, days: 0, hours: 3, minutes: 0, seconds: 0 }, { business: true }))).toBe(
      "2026-02-14T10:00",
    );
    expect(thrownBy(() => cn.addDuration(from, "3 hours"))).toBeInstanceOf(EvaluationError);
  });
});

describe("businessTimeBetween", () => {
  it.each([
    ["2026-02-13T16:00", "2026-02-24T10:00", 10.5 * H], // 2 h Friday + 7.5 h Saturday + 1 h Tuesday
    ["2026-02-13T12:00", "2026-02-13T13:30", 0],
    ["2026-02-13T11:30", "2026-02-13T14:00", 1 * H],
    ["2026-02-15T00:00", "2026-02-24T00:00", 0],
    ["2026-02-13T09:00", "2026-02-13T09:00", 0],
  ] as const)("from %s to %s is %d ms", (a, b, expected) => {
    expect(cn.businessTimeBetween(bj(a), bj(b))).toBe(expected);
    expect(cn.businessTimeBetween(bj(b), bj(a))).toBe(expected === 0 ? 0 : -expected);
  });
});

describe("coverage: no silent guesses outside the published years", () => {
  it("throws CalendarCoverageError for 2030, naming calendar, year and covered years", () => {
    const e = thrownBy(() => cn.isWorkday(bj("2030-03-01T10:00")));
    expect(e).toBeInstanceOf(CalendarCoverageError);
    expect(isRuleflowError(e) && e.code).toBe("CALENDAR_COVERAGE");
    const err = e as CalendarCoverageError;
    expect(err.calendarId).toBe("cn-mainland");
    expect(err.year).toBe(2030);
    expect(err.coverage).toEqual({ from: 2021, to: 2026 });
    expect(err.message).toContain('Calendar "cn-mainland" has no holiday data for 2030 (it covers 2021-2026)');
  });

  it("throws when a computation runs into an uncovered year, in either direction", () => {
    expect((thrownBy(() => cn.addBusinessTime(bj("2026-12-31T17:00"), 2 * H)) as CalendarCoverageError).year).toBe(2027);
    expect((thrownBy(() => cn.addBusinessDays(bj("2026-12-31T10:00"), 1)) as CalendarCoverageError).year).toBe(2027);
    expect((thrownBy(() => cn.nextWorkingInstant(bj("2026-12-31T18:00"))) as CalendarCoverageError).year).toBe(2027);
    expect((thrownBy(() => cn.businessTimeBetween(bj("2026-12-01T00:00"), bj("2027-01-05T00:00"))) as CalendarCoverageError).year).toBe(2027);
    expect((thrownBy(() => cn.isWorkingTime(bj("2020-12-31T10:00"))) as CalendarCoverageError).year).toBe(2020);
    expect((thrownBy(() => cn.addDuration(bj("2026-12-31T10:00"), "P1D", { business: true })) as CalendarCoverageError).year).toBe(2027);
  });

  it("answers what it can without the next year: working time on 2026-12-31 itself", () => {
    expect(show(cn.addBusinessTime(bj("2026-12-31T16:00"), 2 * H))).toBe("2026-12-31T18:00");
    expect(cn.isWorkingTime(bj("2026-12-31T10:00"))).toBe(true);
  });

  it("can be extended with a new year's notice", () => {
    const next = compileCalendar({
      id: "cn-2027-draft",
      extends: "cn-mainland",
      holidays: ["2027-01-01"],
      coverage: { from: 2021, to: 2027 },
    });
    expect(show(next.addBusinessTime(bj("2026-12-31T17:00"), 2 * H))).toBe("2027-01-04T10:00");
  });
});

describe("calendars without working time", () => {
  it("fails clearly instead of looping when every day is a weekend day", () => {
    const never = compileCalendar({ id: "never", timeZone: "UTC", workingHours: [["09:00", "17:00"]], weekend: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] });
    const e = thrownBy(() => never.addBusinessTime(Date.parse("2026-03-01T00:00:00Z"), H));
    expect(e).toBeInstanceOf(EvaluationError);
    expect((e as Error).message).toMatch(/has no working time/);
    expect(thrownBy(() => never.nextWorkingInstant(0))).toBeInstanceOf(EvaluationError);
    expect(thrownBy(() => never.addBusinessDays(0, 1))).toBeInstanceOf(EvaluationError);
    expect(never.businessTimeBetween(0, 1e12)).toBe(0);
  });

  it("uses the listed make-up workdays and then stops", () => {
    const rare = compileCalendar({
      id: "rare",
      timeZone: "UTC",
      workingHours: [["09:00", "17:00"]],
      weekend: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
      workdays: ["2026-03-07"],
    });
    expect(new Date(rare.addBusinessTime(Date.parse("2026-03-01T00:00:00Z"), H)).toISOString()).toBe("2026-03-07T10:00:00.000Z");
    expect(thrownBy(() => rare.addBusinessTime(Date.parse("2026-03-01T00:00:00Z"), 9 * H))).toBeInstanceOf(EvaluationError);
  });

  it("walks past a year of holidays", () => {
    const holidays: string[] = [];
    for (let d = Date.UTC(2026, 0, 1); d < Date.UTC(2027, 0, 1); d += 24 * H) holidays.push(new Date(d).toISOString().slice(0, 10));
    const sabbatical = compileCalendar({ id: "sabbatical", timeZone: "UTC", workingHours: [["09:00", "17:00"]], holidays });
    expect(new Date(sabbatical.addBusinessTime(Date.parse("2026-01-01T00:00:00Z"), H)).toISOString()).toBe("2027-01-01T10:00:00.000Z");
  });
});
