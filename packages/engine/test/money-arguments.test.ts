/**
 * The public money functions check their options and arguments: a
 * meaningless one (a fractional scale, an unknown rounding mode, a number
 * where a BigInt belongs, an unknown period unit) is a RuleflowError naming
 * the function, the parameter and what was expected, never a quiet answer or
 * a raw TypeError/RangeError.
 */
import { describe, expect, it } from "vitest";
import {
  addMoney,
  allocateMoney,
  checkTimeZone,
  compareMoney,
  divideRounded,
  formatMinorUnits,
  formatMoney,
  moneyFromMinor,
  multiplyMoney,
  parseMoney,
  parsePeriod,
  periodContaining,
  previousPeriod,
  roundMoney,
  subtractMoney,
  toMinorUnits,
  zoneOffset,
  type Money,
  type RoundingOptions,
} from "../src/entries/money.js";
import { ruleflowError } from "./helpers.js";

const yuan = parseMoney("12.55", "CNY");
const bad = <T>(v: unknown): T => v as T;
const message = (f: () => unknown): string => ruleflowError("EVALUATION_ERROR", f).message;

describe("roundMoney and multiplyMoney check the rounding options", () => {
  it.each([
    [{ mode: "half-even", scale: 0.5 }, /roundMoney: rounding\.scale must be a whole number of decimal places from 0 to 2 \(the money's scale\), got 0\.5/],
    [{ mode: "half-even", scale: -1 }, /rounding\.scale must be .* from 0 to 2 .*got -1/],
    [{ mode: "half-even", scale: 3 }, /rounding\.scale must be .* from 0 to 2 .*got 3/],
    [{ mode: "half-even", scale: "1" }, /rounding\.scale .*got "1"/],
    [{ mode: "bogus", scale: 1 }, /roundMoney: rounding\.mode must be one of half-up, half-even, down, up; got "bogus"/],
    [{ scale: 1 }, /rounding\.mode must be one of .*got undefined/],
    [undefined, /roundMoney: rounding must be an object such as \{ mode: "half-even", scale: 0 \}, got undefined/],
  ])("roundMoney refuses %j", (rounding, expected) => {
    expect(message(() => roundMoney(yuan, bad<RoundingOptions>(rounding)))).toMatch(expected);
  });

  it("multiplyMoney refuses the same options and a factor that is not a decimal string", () => {
    expect(message(() => multiplyMoney(yuan, "1.1", bad({ mode: "bogus" })))).toMatch(/multiplyMoney: rounding\.mode must be one of/);
    expect(message(() => multiplyMoney(yuan, "1.1", { mode: "down", scale: 0.5 }))).toMatch(/multiplyMoney: rounding\.scale/);
    expect(message(() => multiplyMoney(yuan, bad(0.1 + 0.2), { mode: "down" }))).toMatch(/multiplyMoney: factor must be a decimal string such as "0\.035", got 0\.30000000000000004/);
  });

  it("still rounds with valid options", () => {
    expect(formatMoney(roundMoney(yuan, { mode: "half-even", scale: 1 }))).toBe("12.60");
    expect(formatMoney(roundMoney(yuan, { mode: "down", scale: 0 }))).toBe("12.00");
    expect(formatMoney(roundMoney(yuan, { mode: "up" }))).toBe("12.55");
    expect(formatMoney(multiplyMoney(yuan, "1.1", { mode: "half-up", scale: 2 }))).toBe("13.81");
  });
});

describe("Money values are checked where they come in", () => {
  const forged = [
    ["a number as minor", { minor: 1255, scale: 2 }, /minor must be a BigInt/],
    ["a fractional scale", { minor: 1255n, scale: 1.5 }, /scale must be a whole number/],
    ["an unknown currency", { minor: 1255n, scale: 2, currency: "XXX" }, /unknown currency "XXX"/],
    ["a scale the currency does not have", { minor: 1255n, scale: 3, currency: "CNY" }, /CNY has 2 decimal places, got scale 3/],
    ["null", null, /expected a Money such as parseMoney\("12.50", "CNY"\), got null/],
  ] as const;
  it.each(forged)("formatMoney, addMoney, subtractMoney, compareMoney, roundMoney refuse %s", (_, m, expected) => {
    const money = bad<Money>(m);
    expect(message(() => formatMoney(money))).toMatch(new RegExp(`^formatMoney: money: ${expected.source}`));
    expect(message(() => addMoney(yuan, money))).toMatch(new RegExp(`^addMoney: amounts\\[1\\]: ${expected.source}`));
    expect(message(() => subtractMoney(money, yuan))).toMatch(new RegExp(`^subtractMoney: a: ${expected.source}`));
    expect(message(() => compareMoney(yuan, money))).toMatch(new RegExp(`^compareMoney: b: ${expected.source}`));
    expect(message(() => roundMoney(money, { mode: "down" }))).toMatch(new RegExp(`^roundMoney: money: ${expected.source}`));
  });

  it("moneyFromMinor takes a BigInt", () => {
    expect(message(() => moneyFromMinor(bad(1999), "USD"))).toMatch(/moneyFromMinor: minor must be a BigInt such as 1999n, got 1999/);
  });
});

describe("allocateMoney checks its weights", () => {
  it("refuses no weights, and weights that add up to zero without all being zero", () => {
    expect(message(() => allocateMoney(yuan, []))).toMatch(/allocateMoney: weights must list at least one weight/);
    expect(message(() => allocateMoney(yuan, ["1", "-1"]))).toMatch(/allocateMoney: weights add up to zero/);
    expect(message(() => allocateMoney(yuan, bad("1,2")))).toMatch(/allocateMoney: weights must be an array/);
    expect(message(() => allocateMoney(yuan, ["1", "x"]))).toMatch(/allocateMoney: weights\[1\]: expected a decimal/);
  });

  it("still splits all-zero weights evenly and mixed weights whose sum is not zero", () => {
    expect(allocateMoney(parseMoney("1.00"), ["0", "0", "0"]).map(formatMoney)).toEqual(["0.34", "0.33", "0.33"]);
    expect(allocateMoney(parseMoney("100.00"), ["3", "-1"]).map(formatMoney)).toEqual(["150.00", "-50.00"]);
  });
});

describe("low-level helpers", () => {
  it("divideRounded refuses an unknown mode, a zero divisor and numbers", () => {
    expect(message(() => divideRounded(25n, 10n, bad("nearest")))).toMatch(/divideRounded: mode must be one of half-up, half-even, down, up; got "nearest"/);
    expect(message(() => divideRounded(25n, 0n, "down"))).toMatch(/divideRounded: denominator must not be zero/);
    expect(message(() => divideRounded(bad(25), 10n, "down"))).toMatch(/divideRounded: numerator must be a BigInt, got 25/);
  });

  it("toMinorUnits and formatMinorUnits refuse a scale that is not a whole number of places", () => {
    expect(message(() => toMinorUnits("1.00", 0.5))).toMatch(/toMinorUnits: scale must be a whole number of decimal places from 0 to 18, got 0\.5/);
    expect(message(() => toMinorUnits("1.00", -1))).toMatch(/got -1/);
    expect(message(() => formatMinorUnits(100n, bad("2")))).toMatch(/formatMinorUnits: scale .*got "2"/);
    expect(message(() => formatMinorUnits(bad(100), 2))).toMatch(/formatMinorUnits: minor must be a BigInt/);
  });
});

describe("periods check unit, instant and zone", () => {
  it("periodContaining refuses an unknown unit, a non-finite instant and a bad zone", () => {
    expect(message(() => periodContaining(0, bad("fortnight"), "UTC"))).toMatch(/periodContaining: unit must be one of day, week, month, quarter, year, lifetime; got "fortnight"/);
    expect(message(() => periodContaining(NaN, "month", "UTC"))).toMatch(/periodContaining: ms must be .*epoch milliseconds.*got NaN/);
    expect(message(() => periodContaining(0, "month", "Mars/Olympus"))).toMatch(/periodContaining: zone: unknown time zone "Mars\/Olympus"/);
    expect(message(() => parsePeriod("2026-02", "+99:99"))).toMatch(/parsePeriod: zone: .*"\+99:99"/);
    expect(message(() => parsePeriod(bad(202602), "UTC"))).toMatch(/parsePeriod: key must be a string such as "2026-02", got 202602/);
    expect(message(() => zoneOffset(0, "+25:00"))).toMatch(/zoneOffset: zone/);
    expect(message(() => previousPeriod(bad({ unit: "month", key: "2026-02" }), "UTC"))).toMatch(/previousPeriod: period must be a Period from parsePeriod or periodContaining/);
  });

  it("offsets are at most ±14:00 with minutes under 60", () => {
    expect(checkTimeZone("+14:00")).toBeUndefined();
    expect(checkTimeZone("-09:30")).toBeUndefined();
    expect(checkTimeZone("+99:99")).toMatch(/offset/);
    expect(checkTimeZone("+08:60")).toMatch(/offset/);
    expect(checkTimeZone("+15:00")).toMatch(/offset/);
  });
});
