/**
 * The built-in cn-mainland data against what the State Council notices say:
 * the weekday each notice states for its dates, the "共 N 天" length of each
 * period, and that make-up workdays fall on weekends. Weekdays are computed
 * here with Date, independently of the engine's own date arithmetic.
 */
import { describe, expect, it } from "vitest";
import { BUILTIN_CALENDARS, CN_MAINLAND_COVERAGE, CN_MAINLAND_NOTICES } from "../src/entries/calendar.js";

const WEEKDAY = ["日", "一", "二", "三", "四", "五", "六"];
const weekdayOf = (date: string): string => WEEKDAY[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
const daysIn = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

/** Weekdays as printed in the notices (2025 and 2026 print them for every date; earlier ones for make-up workdays). */
const STATED: Record<string, string> = {
  // 国办发明电〔2025〕7号
  "2026-01-01": "四", "2026-01-03": "六", "2026-01-04": "日", "2026-02-15": "日", "2026-02-23": "一", "2026-02-14": "六",
  "2026-02-28": "六", "2026-04-04": "六", "2026-04-06": "一", "2026-05-01": "五", "2026-05-05": "二", "2026-05-09": "六",
  "2026-06-19": "五", "2026-06-21": "日", "2026-09-25": "五", "2026-09-27": "日", "2026-10-01": "四", "2026-10-07": "三",
  "2026-09-20": "日", "2026-10-10": "六",
  // 国办发明电〔2024〕12号
  "2025-01-01": "三", "2025-01-28": "二", "2025-02-04": "二", "2025-01-26": "日", "2025-02-08": "六", "2025-04-04": "五",
  "2025-04-06": "日", "2025-05-01": "四", "2025-05-05": "一", "2025-04-27": "日", "2025-05-31": "六", "2025-06-02": "一",
  "2025-10-01": "三", "2025-10-08": "三", "2025-09-28": "日", "2025-10-11": "六",
  // 国办发明电〔2023〕7号
  "2024-02-04": "日", "2024-02-18": "日", "2024-04-07": "日", "2024-04-28": "日", "2024-05-11": "六", "2024-09-14": "六",
  "2024-09-29": "日", "2024-10-12": "六",
  // 国办发明电〔2022〕16号
  "2023-01-28": "六", "2023-01-29": "日", "2023-04-23": "日", "2023-05-06": "六", "2023-06-25": "日", "2023-10-07": "六",
  "2023-10-08": "日",
  // 国办发明电〔2021〕11号
  "2022-01-29": "六", "2022-01-30": "日", "2022-04-02": "六", "2022-04-24": "日", "2022-05-07": "六", "2022-10-08": "六",
  "2022-10-09": "日",
  // 国办发明电〔2020〕27号
  "2021-02-07": "日", "2021-02-20": "六", "2021-04-25": "日", "2021-05-08": "六", "2021-09-18": "六", "2021-09-26": "日",
  "2021-10-09": "六",
};

/** "共 N 天" of each period, in notice order (a period without a count is one day: "1月1日放假"). */
const LENGTHS: Record<number, number[]> = {
  2021: [3, 7, 3, 5, 3, 3, 7],
  2022: [3, 7, 3, 5, 3, 3, 7],
  2023: [3, 7, 1, 5, 3, 8],
  2024: [1, 8, 3, 5, 1, 3, 7],
  2025: [1, 8, 3, 5, 3, 8],
  2026: [3, 9, 3, 5, 3, 3, 7],
};

describe("State Council notices shipped in cn-mainland", () => {
  it("cover 2021-2026, one notice per year, each with number, publication date and sources", () => {
    expect(CN_MAINLAND_NOTICES.map((n) => n.year)).toEqual([2021, 2022, 2023, 2024, 2025, 2026]);
    expect(CN_MAINLAND_COVERAGE).toEqual({ from: 2021, to: 2026 });
    for (const n of CN_MAINLAND_NOTICES) {
      expect(n.number).toMatch(/^国办发明电〔\d{4}〕\d+号$/);
      expect(n.number).toContain(`〔${n.year - 1}〕`);
      expect(n.published < `${n.year}-01-01` && n.published > `${n.year - 1}-01-01`).toBe(true);
      expect(n.sources.length).toBeGreaterThan(0);
    }
    expect(CN_MAINLAND_NOTICES.find((n) => n.year === 2025)!.number).toBe("国办发明电〔2024〕12号");
    expect(CN_MAINLAND_NOTICES.find((n) => n.year === 2026)).toMatchObject({ number: "国办发明电〔2025〕7号", published: "2025-11-04" });
  });

  it("agree with every weekday the notices print", () => {
    const dates = new Set(CN_MAINLAND_NOTICES.flatMap((n) => n.periods.flatMap((p) => [p.from, p.to, ...p.workdays])));
    for (const [date, weekday] of Object.entries(STATED)) {
      expect(dates.has(date), `${date} is a boundary or workday of some period`).toBe(true);
      expect(weekdayOf(date), date).toBe(weekday);
    }
  });

  it("have the length each notice states for each period", () => {
    for (const n of CN_MAINLAND_NOTICES) expect(n.periods.map((p) => daysIn(p.from, p.to)), String(n.year)).toEqual(LENGTHS[n.year]);
  });

  it("put every make-up workday on a weekend, outside every period, and keep periods in order", () => {
    const off = new Set(BUILTIN_CALENDARS["cn-mainland"].holidays);
    for (const n of CN_MAINLAND_NOTICES) {
      for (let i = 0; i < n.periods.length; i++) {
        const p = n.periods[i]!;
        expect(p.from <= p.to).toBe(true);
        if (i > 0) expect(n.periods[i - 1]!.to < p.from).toBe(true);
        for (const w of p.workdays) {
          expect(["六", "日"], w).toContain(weekdayOf(w));
          expect(off.has(w), w).toBe(false);
        }
      }
    }
  });
});

describe("the cn-mainland document", () => {
  const doc = BUILTIN_CALENDARS["cn-mainland"];

  it("has the shape DSL.md shows, and contains its 2026 dates", () => {
    expect(doc).toMatchObject({
      kind: "calendar",
      id: "cn-mainland",
      timeZone: "Asia/Shanghai",
      workingHours: [["09:00", "12:00"], ["13:30", "18:00"]],
      weekend: ["sat", "sun"],
      coverage: { from: 2021, to: 2026 },
    });
    const dsl2026Holidays = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"];
    expect(doc.holidays.filter((d) => d < "2026-03-01" && d >= "2026-01-01")).toEqual(dsl2026Holidays);
    expect(doc.workdays.filter((d) => d < "2026-03-01" && d >= "2026-01-01")).toEqual(["2026-01-04", "2026-02-14", "2026-02-28"]);
  });

  it("lists the rest of 2026 as the notice arranges it", () => {
    const rest = (list: readonly string[]) => list.filter((d) => d >= "2026-03-01" && d < "2027-01-01");
    expect(rest(doc.holidays)).toEqual([
      "2026-04-04", "2026-04-05", "2026-04-06",
      "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
      "2026-06-19", "2026-06-20", "2026-06-21",
      "2026-09-25", "2026-09-26", "2026-09-27",
      "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
    ]);
    expect(rest(doc.workdays)).toEqual(["2026-05-09", "2026-09-20", "2026-10-10"]);
  });

  it("cites every notice in its description", () => {
    for (const n of CN_MAINLAND_NOTICES) expect(doc.description).toContain(n.number);
  });
});
