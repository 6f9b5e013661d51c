/**
 * Occurrences of scheduled triggers on a business calendar: examples across
 * the 2026 cn-mainland holidays, validation with paths, calendar coverage,
 * and a differential property against a day-by-day reference built on the
 * public calendar functions.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { isRuleflowError } from "../src/index.js";
import type { ScheduleSpecDefinition } from "../src/entries/workflow.js";
import { compileRecurrence, fromLocalDateTime, getBuiltinCalendar, toLocalDateTime } from "../src/entries/calendar.js";

const cn = getBuiltinCalendar("cn-mainland");
const at = (s: string): number => Date.parse(s);
const local = (ms: number): string => {
  const l = toLocalDateTime(ms, "Asia/Shanghai");
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${l.year}-${p(l.month)}-${p(l.day)}T${p(l.hour)}:${p(l.minute)}`;
};

describe("occurrences on cn-mainland", () => {
  it("every working Friday at 16:00 skips the Spring Festival Friday", () => {
    const r = compileRecurrence({ every: "week", on: ["friday"], at: "16:00", calendar: "cn-mainland", ifNotWorkday: "skip" });
    expect(r.upcoming(at("2026-02-01T00:00:00+08:00"), 4).map(local)).toEqual(["2026-02-06T16:00", "2026-02-13T16:00", "2026-02-27T16:00", "2026-03-06T16:00"]);
  });

  it("the 5th of each month, or the next working day", () => {
    const r = compileRecurrence({ every: "month", day: 5, at: "09:00", calendar: "cn-mainland", ifNotWorkday: "next" });
    // 5 April 2026 is a Sunday inside Qingming (4-6 April); 5 October is inside National Day (1-7, make-up Saturday 10th).
    expect(r.upcoming(at("2026-03-10T00:00:00+08:00"), 8).map(local)).toEqual([
      "2026-04-07T09:00",
      "2026-05-06T09:00",
      "2026-06-05T09:00",
      "2026-07-06T09:00",
      "2026-08-05T09:00",
      "2026-09-07T09:00",
      "2026-10-08T09:00",
      "2026-11-05T09:00",
    ]);
  });

  it("an occurrence moved past the 'after' instant is still found (the search looks back over the holiday)", () => {
    const r = compileRecurrence({ every: "month", day: 5, at: "09:00", calendar: "cn-mainland", ifNotWorkday: "next" });
    expect(local(r.next(at("2026-04-06T12:00:00+08:00")))).toBe("2026-04-07T09:00");
  });

  it("previous working day, and day 31 means the last day of each month (a make-up Saturday counts as working)", () => {
    const r = compileRecurrence({ every: "month", day: 31, at: "18:00", calendar: "cn-mainland", ifNotWorkday: "previous" });
    expect(r.upcoming(at("2026-01-01T00:00:00+08:00"), 5).map(local)).toEqual(["2026-01-30T18:00", "2026-02-28T18:00", "2026-03-31T18:00", "2026-04-30T18:00", "2026-05-29T18:00"]);
  });

  it("every working day includes make-up workdays and skips holidays; run ignores the calendar's holidays", () => {
    const work = compileRecurrence({ every: "day", at: "08:30", calendar: "cn-mainland", ifNotWorkday: "skip" });
    expect(work.upcoming(at("2026-02-13T09:00:00+08:00"), 2).map(local)).toEqual(["2026-02-14T08:30", "2026-02-24T08:30"]);
    const every = compileRecurrence({ every: "day", at: "08:30", calendar: "cn-mainland", ifNotWorkday: "run" });
    expect(every.upcoming(at("2026-02-13T09:00:00+08:00"), 2).map(local)).toEqual(["2026-02-14T08:30", "2026-02-15T08:30"]);
  });

  it("an occurrence exactly at 'after' is not repeated; several weekdays are merged in order", () => {
    const r = compileRecurrence({ every: "week", on: ["thu", "friday"], at: "16:00", calendar: "cn-mainland", ifNotWorkday: "next" });
    // Thursday 19 and Friday 20 February are holidays: both move to Tuesday 24th and start once.
    expect(r.upcoming(at("2026-02-13T16:00:00+08:00"), 3).map(local)).toEqual(["2026-02-24T16:00", "2026-02-26T16:00", "2026-02-27T16:00"]);
  });

  it("a year the calendar has no data for is a CalendarCoverageError, not a silent stop", () => {
    const r = compileRecurrence({ every: "week", on: ["friday"], at: "16:00", calendar: "cn-mainland", ifNotWorkday: "skip" });
    let error: unknown;
    try {
      r.upcoming(at("2026-12-20T00:00:00+08:00"), 3);
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error) && error.code).toBe("CALENDAR_COVERAGE");
    expect(String(error)).toContain("2027");
  });
});

describe("validation", () => {
  const issuesOf = (spec: unknown): { path: (string | number)[]; message: string }[] => {
    try {
      compileRecurrence(spec as ScheduleSpecDefinition);
    } catch (e) {
      return (e as { issues: { path: (string | number)[]; message: string }[] }).issues;
    }
    return [];
  };

  it("bad shapes are reported together, with paths", () => {
    const issues = issuesOf({ every: "fortnight", at: "24:00", ifNotWorkday: "maybe", calendar: "cn-mainland", on: ["fri-day"] });
    expect(issues.map((i) => i.path.join("."))).toEqual(["every", "on.0", "at", "ifNotWorkday"]);
    expect(issues.find((i) => i.path[0] === "at")!.message).toContain('"HH:MM"');
  });

  it("missing fields for the frequency, a missing calendar and ifNotWorkday are issues", () => {
    expect(issuesOf({ every: "week", at: "16:00", calendar: "cn-mainland" }).map((i) => i.path.join("."))).toEqual(["ifNotWorkday"]);
    const issues = issuesOf({ every: "week", day: 5, at: "16:00", ifNotWorkday: "skip" });
    expect(issues.map((i) => i.path.join("."))).toEqual(["on", "day", "calendar"]);
    expect(issuesOf({ every: "month", at: "09:00", calendar: "cn-mainland", ifNotWorkday: "next" }).map((i) => i.message)).toEqual(['a monthly schedule needs "day", e.g. 5']);
    expect(issuesOf({ every: "day", at: "09:00", calendar: "cn-mainland", ifNotWorkday: "next" })[0]!.path).toEqual(["ifNotWorkday"]);
    expect(issuesOf({ every: "month", day: 0, at: "09:00", calendar: "cn-mainland", ifNotWorkday: "next" })[0]!.path).toEqual(["day"]);
  });
});

// --- differential property against a plain reference ---

interface Case {
  spec: ScheduleSpecDefinition & { at: string };
  from: number;
}

const WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    every: fc.constantFrom("day", "week", "month"),
    on: fc.uniqueArray(fc.constantFrom(...WEEK), { minLength: 1, maxLength: 3 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.constantFrom(0, 15, 30, 59),
    ifNotWorkday: fc.constantFrom("skip", "next", "previous", "run"),
    from: fc.integer({ min: at("2021-03-15T00:00:00Z"), max: at("2025-12-31T00:00:00Z") }),
  })
  .filter((c) => !(c.every === "day" && (c.ifNotWorkday === "next" || c.ifNotWorkday === "previous")))
  .map((c) => ({
    from: c.from,
    spec: {
      every: c.every as "day",
      ...(c.every === "week" ? { on: c.on } : {}),
      ...(c.every === "month" ? { day: c.day } : {}),
      at: `${String(c.hour).padStart(2, "0")}:${String(c.minute).padStart(2, "0")}`,
      calendar: "cn-mainland",
      ifNotWorkday: c.ifNotWorkday as "skip",
    },
  }));

/** Local dates as UTC-midnight Date values; the reference steps one day at a time. */
const DAY = 86_400_000;
const civil = (d: number): { year: number; month: number; day: number } => {
  const x = new Date(d);
  return { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: x.getUTCDate() };
};
const workday = (d: number): boolean => cn.isWorkday(fromLocalDateTime({ ...civil(d), hour: 12 }, "Asia/Shanghai"));

/** Every occurrence whose nominal day lies in [fromDay, toDay], straight from the definition. */
function reference(spec: Case["spec"], fromDay: number, toDay: number): number[] {
  const [hour, minute] = spec.at.split(":").map(Number) as [number, number];
  const out = new Set<number>();
  for (let d = fromDay; d <= toDay; d += DAY) {
    const c = civil(d);
    const lastDay = new Date(Date.UTC(c.year, c.month, 0)).getUTCDate();
    const nominal =
      spec.every === "day" ||
      (spec.every === "week" && spec.on!.includes(WEEK[(new Date(d).getUTCDay() + 6) % 7]!)) ||
      (spec.every === "month" && c.day === Math.min(spec.day!, lastDay));
    if (!nominal) continue;
    let m: number | undefined = d;
    if (spec.ifNotWorkday !== "run" && !workday(d)) {
      if (spec.ifNotWorkday === "skip") m = undefined;
      else {
        const step = spec.ifNotWorkday === "next" ? DAY : -DAY;
        while (!workday(m)) m += step;
      }
    }
    if (m !== undefined) out.add(fromLocalDateTime({ ...civil(m), hour, minute }, "Asia/Shanghai"));
  }
  return [...out].sort((a, b) => a - b);
}

describe("properties", () => {
  test.prop([caseArb], { numRuns: 150 })("occurrences are exactly the reference's: working days at the time, strictly increasing, none skipped", ({ spec, from }) => {
    const r = compileRecurrence(spec);
    // Up to six occurrences; a rare pattern (make-up Saturdays only) may reach the end of the calendar data first.
    const occ: number[] = [];
    try {
      for (let t = from; occ.length < 6; ) occ.push((t = r.next(t)));
    } catch (e) {
      if (!isRuleflowError(e) || e.code !== "CALENDAR_COVERAGE") throw e;
    }
    if (occ.length === 0) return;
    for (let i = 0; i < occ.length; i++) {
      expect(occ[i]!).toBeGreaterThan(i === 0 ? from : occ[i - 1]!);
      const l = toLocalDateTime(occ[i]!, "Asia/Shanghai");
      expect(`${String(l.hour).padStart(2, "0")}:${String(l.minute).padStart(2, "0")}`).toBe(spec.at);
      if (spec.ifNotWorkday !== "run") expect(cn.isWorkday(occ[i]!)).toBe(true);
    }
    // None skipped: the reference over a window that surely contains them lists the same instants first.
    const shanghai = civil(from + 8 * 3_600_000); // UTC+8 all year
    const fromDay = Date.UTC(shanghai.year, shanghai.month - 1, shanghai.day) - 40 * DAY;
    // The window ends where the built-in calendar's data ends (2026): past it, no day can be judged.
    const expected = reference(spec, fromDay, Math.min(occ.at(-1)! + 40 * DAY, Date.UTC(2026, 11, 31))).filter((t) => t > from);
    expect(occ).toEqual(expected.slice(0, occ.length));
  });
});
