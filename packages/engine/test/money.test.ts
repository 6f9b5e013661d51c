import { describe, expect, it } from "vitest";
import { allocateUnits, distribute } from "../src/money/allocate.js";
import { formatMinorUnits, toMinorUnits } from "../src/money/amount.js";
import { currencyScale } from "../src/money/currency.js";
import {
  addMoney,
  allocateMoney,
  compareMoney,
  formatMoney,
  moneyFromMinor,
  multiplyMoney,
  parseMoney,
  roundMoney,
  subtractMoney,
} from "../src/money/money.js";
import { checkTimeZone, parsePeriod, periodContaining, previousPeriod, zoneOffset, type Period } from "../src/money/period.js";
import { divideRounded } from "../src/money/rounding.js";
import { ruleflowError } from "./helpers.js";

describe("divideRounded", () => {
  const cases: [bigint, bigint, Record<string, bigint>][] = [
    [25n, 10n, { "half-up": 3n, "half-even": 2n, down: 2n, up: 3n }],
    [35n, 10n, { "half-up": 4n, "half-even": 4n, down: 3n, up: 4n }],
    [-25n, 10n, { "half-up": -3n, "half-even": -2n, down: -2n, up: -3n }],
    [24n, 10n, { "half-up": 2n, "half-even": 2n, down: 2n, up: 3n }],
    [26n, 10n, { "half-up": 3n, "half-even": 3n, down: 2n, up: 3n }],
    [-26n, 10n, { "half-up": -3n, "half-even": -3n, down: -2n, up: -3n }],
    [30n, 10n, { "half-up": 3n, "half-even": 3n, down: 3n, up: 3n }],
    [25n, -10n, { "half-up": -3n, "half-even": -2n, down: -2n, up: -3n }],
  ];
  it.each(cases)("%s / %s", (n, d, expected) => {
    for (const [mode, value] of Object.entries(expected)) {
      expect(divideRounded(n, d, mode as "down"), mode).toBe(value);
    }
  });
});

describe("amounts as minor units", () => {
  it("parses decimal strings and numbers exactly", () => {
    expect(toMinorUnits("200000.00", 2)).toBe(20000000n);
    expect(toMinorUnits("7", 2)).toBe(700n);
    expect(toMinorUnits("-0.05", 2)).toBe(-5n);
    expect(toMinorUnits("1.500", 2)).toBe(150n);
    expect(toMinorUnits(0.1, 2)).toBe(10n);
    expect(toMinorUnits(1234.56, 2)).toBe(123456n);
    expect(toMinorUnits(15, 0)).toBe(15n);
  });

  it("refuses anything that would need rounding or is not an amount", () => {
    expect(toMinorUnits("0.125", 2)).toMatch(/3 decimal places; at most 2/);
    expect(toMinorUnits(0.125, 2)).toMatch(/at most 2/);
    expect(toMinorUnits(1e-7, 2)).toMatch(/0.0000001 has 7 decimal places/);
    expect(toMinorUnits(2 ** 60, 2)).toMatch(/19 significant digits/);
    expect(toMinorUnits("1,000.00", 2)).toMatch(/expected an amount/);
    expect(toMinorUnits(null, 2)).toMatch(/got nothing/);
    expect(toMinorUnits(Number.NaN, 2)).toMatch(/NaN/);
  });

  it("formats with the scale", () => {
    expect(formatMinorUnits(20000000n, 2)).toBe("200000.00");
    expect(formatMinorUnits(-5n, 2)).toBe("-0.05");
    expect(formatMinorUnits(0n, 3)).toBe("0.000");
    expect(formatMinorUnits(-15n, 0)).toBe("-15");
  });

  it("knows currency scales", () => {
    expect(currencyScale("CNY")).toBe(2);
    expect(currencyScale("JPY")).toBe(0);
    expect(currencyScale("KWD")).toBe(3);
    expect(currencyScale(undefined)).toBe(2);
    expect(currencyScale("XYZ")).toBeUndefined();
    expect(currencyScale("constructor")).toBeUndefined();
  });
});

describe("Money", () => {
  it("adds 0.1 and 0.2 to exactly 0.3", () => {
    expect(formatMoney(addMoney(parseMoney("0.1"), parseMoney("0.2")))).toBe("0.30");
  });

  it("refuses mixed currencies and unknown currencies", () => {
    ruleflowError("EVALUATION_ERROR", () => addMoney(parseMoney("1", "CNY"), parseMoney("1", "USD")));
    ruleflowError("EVALUATION_ERROR", () => parseMoney("1", "XYZ"));
    ruleflowError("EVALUATION_ERROR", () => parseMoney("1.234", "CNY"));
    expect(formatMoney(parseMoney("1234", "JPY"))).toBe("1234");
  });

  it("subtracts and compares", () => {
    expect(formatMoney(subtractMoney(parseMoney("1.00"), parseMoney("0.01")))).toBe("0.99");
    expect(compareMoney(parseMoney("1.00"), parseMoney("0.99"))).toBe(1);
    expect(compareMoney(moneyFromMinor(5n, "USD"), parseMoney("0.05", "USD"))).toBe(0);
  });

  it("multiplies by a decimal rate and rounds once", () => {
    expect(formatMoney(multiplyMoney(parseMoney("1234.56", "CNY"), "0.035", { mode: "half-even" }))).toBe("43.21");
    // 0.125 exactly half a cent: half-even keeps 0.12, half-up gives 0.13
    expect(formatMoney(multiplyMoney(parseMoney("1.00"), "0.125", { mode: "half-even" }))).toBe("0.12");
    expect(formatMoney(multiplyMoney(parseMoney("1.00"), "0.125", { mode: "half-up" }))).toBe("0.13");
    expect(formatMoney(multiplyMoney(parseMoney("1.00"), "0.125", { mode: "down" }))).toBe("0.12");
    expect(formatMoney(multiplyMoney(parseMoney("1234.56"), "0.035", { mode: "half-even", scale: 0 }))).toBe("43.00");
    ruleflowError("EVALUATION_ERROR", () => multiplyMoney(parseMoney("1"), "1e3", { mode: "down" }));
  });

  it("rounds to fewer decimals", () => {
    expect(formatMoney(roundMoney(parseMoney("12.50", "CNY"), { mode: "half-even", scale: 0 }))).toBe("12.00");
    expect(formatMoney(roundMoney(parseMoney("13.50", "CNY"), { mode: "half-even", scale: 0 }))).toBe("14.00");
    expect(formatMoney(roundMoney(parseMoney("-12.50", "CNY"), { mode: "half-up", scale: 0 }))).toBe("-13.00");
  });

  it("allocates residual cents so parts sum to the total", () => {
    expect(allocateMoney(parseMoney("100.00"), ["1", "1", "1"]).map(formatMoney)).toEqual(["33.34", "33.33", "33.33"]);
    expect(allocateMoney(parseMoney("0.05"), [3, 1]).map(formatMoney)).toEqual(["0.04", "0.01"]);
    expect(allocateMoney(parseMoney("10.00"), ["0", "0"]).map(formatMoney)).toEqual(["5.00", "5.00"]);
    expect(allocateMoney(parseMoney("-0.05"), ["1", "1"]).map(formatMoney)).toEqual(["-0.03", "-0.02"]);
    expect(allocateMoney(parseMoney("1.00"), ["0.5", "0.25", "0.25"]).map(formatMoney)).toEqual(["0.50", "0.25", "0.25"]);
    ruleflowError("EVALUATION_ERROR", () => allocateMoney(parseMoney("1"), ["x"]));
  });

  it("distributes rounded totals over exact shares, each part the floor or ceiling of its share", () => {
    // shares 1.4, 1.3, 1.3 (den 10): total rounds to 4
    expect(distribute([14n, 13n, 13n], 10n, 4n)).toEqual([2n, 1n, 1n]);
    expect(distribute([], 1n, 0n)).toEqual([]);
    expect(allocateUnits(7n, [-1n, -1n])).toEqual([4n, 3n]);
  });
});

describe("periods in a time zone", () => {
  const p = (key: string, zone = "UTC"): Period => parsePeriod(key, zone) as Period;
  const iso = (ms: number): string => new Date(ms).toISOString();

  it("names the period of an instant", () => {
    const t = Date.parse("2026-03-31T20:00:00Z");
    expect(periodContaining(t, "month", "UTC").key).toBe("2026-03");
    expect(periodContaining(t, "month", "Asia/Shanghai").key).toBe("2026-04");
    expect(periodContaining(t, "month", "+08:00").key).toBe("2026-04");
    expect(periodContaining(t, "quarter", "Asia/Shanghai").key).toBe("2026-Q2");
    expect(periodContaining(t, "day", "Asia/Shanghai").key).toBe("2026-04-01");
    expect(periodContaining(t, "year", "UTC").key).toBe("2026");
    expect(periodContaining(t, "lifetime", "UTC").key).toBe("lifetime");
  });

  it("uses ISO weeks (Monday first; week 1 holds January 4th)", () => {
    expect(periodContaining(Date.parse("2026-02-10T00:00:00Z"), "week", "UTC").key).toBe("2026-W07");
    expect(periodContaining(Date.parse("2027-01-01T00:00:00Z"), "week", "UTC").key).toBe("2026-W53");
    expect(periodContaining(Date.parse("2024-12-30T00:00:00Z"), "week", "UTC").key).toBe("2025-W01");
    const w = p("2026-W07");
    expect(iso(w.start)).toBe("2026-02-09T00:00:00.000Z");
    expect(iso(w.end)).toBe("2026-02-16T00:00:00.000Z");
  });

  it("parses period keys to bounds in the zone", () => {
    const feb = p("2026-02", "Asia/Shanghai");
    expect(iso(feb.start)).toBe("2026-01-31T16:00:00.000Z");
    expect(iso(feb.end)).toBe("2026-02-28T16:00:00.000Z");
    expect(p("2026-Q4").key).toBe("2026-Q4");
    expect(iso(p("2026-Q4").end)).toBe("2027-01-01T00:00:00.000Z");
    expect(iso(p("2026").start)).toBe("2026-01-01T00:00:00.000Z");
    expect(iso(p("2026-02-10", "-05:00").start)).toBe("2026-02-10T05:00:00.000Z");
    expect(parsePeriod("2026-13", "UTC")).toMatch(/not a period/);
    expect(parsePeriod("2026-02-30", "UTC")).toMatch(/not a period/);
    expect(parsePeriod("2026-W54", "UTC")).toMatch(/not a period/);
  });

  it("handles daylight saving time", () => {
    // New York springs forward on 2026-03-08: that day is 23 hours long.
    const d = p("2026-03-08", "America/New_York");
    expect((d.end - d.start) / 3_600_000).toBe(23);
    expect(zoneOffset(Date.parse("2026-07-01T00:00:00Z"), "America/New_York")).toBe(-4 * 3_600_000);
  });

  it("steps back one period", () => {
    expect(previousPeriod(p("2026-01"), "UTC").key).toBe("2025-12");
    expect(previousPeriod(p("2026-Q1"), "UTC").key).toBe("2025-Q4");
    expect(previousPeriod(periodContaining(0, "lifetime", "UTC"), "UTC").key).toBe("lifetime");
  });

  it("checks time zones", () => {
    expect(checkTimeZone("Asia/Shanghai")).toBeUndefined();
    expect(checkTimeZone("+08:00")).toBeUndefined();
    expect(checkTimeZone("Mars/Olympus")).toMatch(/unknown time zone/);
  });
});
