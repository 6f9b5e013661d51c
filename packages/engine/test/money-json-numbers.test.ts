/**
 * Amounts that arrive as JSON numbers: a number has already lost the text it
 * was written as, so Ruleflow accepts it only when its shortest round-trip
 * text (String(n)) has at most 15 significant digits and no more decimals
 * than the currency allows. Anything else is refused, naming where it came
 * from, never silently changed.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compilePromotion, compileRebate, type RebateDefinition } from "../src/index.js";
import { parseMoney, toMinorUnits } from "../src/entries/money.js";
import { settleRebates } from "../src/entries/rebates.js";
import { ruleflowError } from "./helpers.js";

const AT = "2026-02-10T10:00:00+08:00";

const program: RebateDefinition = {
  kind: "rebate",
  id: "p",
  version: 1,
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  account: "customer.id",
  basis: { amount: "line.netAmount" },
  tiers: [{ from: "0", rate: "0.02" }],
};

const line = (no: number, amount: unknown) => ({
  order: { id: "SO-7", date: AT },
  line: { no, netAmount: amount },
  customer: { id: "D1" },
});

describe("toMinorUnits on JSON numbers", () => {
  it("refuses a number whose shortest text has more than 15 significant digits", () => {
    // JSON.parse("99999999999999.99") is the double printed 99999999999999.98
    const n = JSON.parse("99999999999999.99") as number;
    expect(toMinorUnits(n, 2)).toMatch(/99999999999999\.98 has 16 significant digits.*at most 15.*string/);
    expect(toMinorUnits(1234567890123456, 2)).toMatch(/16 significant digits/);
    expect(toMinorUnits(0.30000000000000004, 2)).toMatch(/17 significant digits/);
    // Integers of 16 digits are refused too: a longer text may have been rounded to them.
    expect(toMinorUnits(JSON.parse("9007199254740990.4") as number, 2)).toMatch(/16 significant digits/);
  });

  it("refuses more decimals than the scale; numbers String() writes with an exponent count as the digits they stand for", () => {
    expect(toMinorUnits(12.345, 2)).toMatch(/12\.345 has 3 decimal places; at most 2/);
    expect(toMinorUnits(1.5, 0)).toMatch(/at most 0/);
    expect(toMinorUnits(1e-7, 2)).toMatch(/0\.0000001 has 7 decimal places; at most 2/);
    expect(toMinorUnits(1e-7, 8)).toBe(10n);
    expect(toMinorUnits(-1.5e-7, 8)).toBe(-15n);
    expect(toMinorUnits(1e21, 2)).toMatch(/1000000000000000000000 has 22 significant digits/);
  });

  it("accepts up to 15 significant digits exactly as written", () => {
    expect(toMinorUnits(9999999999999.99, 2)).toBe(999999999999999n);
    expect(toMinorUnits(123456789012345, 2)).toBe(12345678901234500n);
    expect(toMinorUnits(-0.01, 2)).toBe(-1n);
    expect(toMinorUnits(1.5, 2)).toBe(150n);
    expect(toMinorUnits(1.5, 3)).toBe(1500n);
    expect(toMinorUnits(0, 2)).toBe(0n);
    // Strings are read digit by digit: any length is exact.
    expect(toMinorUnits("99999999999999.99", 2)).toBe(9999999999999999n);
  });

  test.prop([fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 3 })])(
    "every decimal of at most 15 significant digits written as a JSON number reads exactly",
    (units, scale) => {
      const neg = units < 0n;
      const digits = (neg ? -units : units).toString().padStart(scale + 1, "0");
      const text = `${neg ? "-" : ""}${digits.slice(0, digits.length - scale)}${scale ? `.${digits.slice(digits.length - scale)}` : ""}`;
      expect(toMinorUnits(JSON.parse(text) as number, scale)).toBe(units);
    },
  );

  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true })])("a number is either read exactly or refused with a reason", (n) => {
    const r = toMinorUnits(n, 2);
    if (typeof r === "string") return;
    // Accepted: the minor units are exactly the decimal the number prints as.
    expect(Number(r) / 100).toBe(n === 0 ? 0 : n);
    expect(String(n).replace(/^-/, "").replace(".", "").replace(/^0+/, "").length).toBeLessThanOrEqual(15);
  });

  it("parseMoney refuses the same numbers", () => {
    expect(ruleflowError("EVALUATION_ERROR", () => parseMoney(JSON.parse("99999999999999.99") as number, "CNY")).message).toMatch(
      /invalid amount in CNY: 99999999999999\.98 has 16 significant digits/,
    );
  });
});

describe("rebate settlement names the order line and the field", () => {
  it("refuses a 16-digit JSON number amount with the line's position, key and field", () => {
    const lines = [line(1, "10.00"), line(2, JSON.parse("99999999999999.99"))];
    const e = ruleflowError("EVALUATION_ERROR", () => settleRebates({ program: compileRebate(program), lines, period: "2026-02" }));
    expect(e.message).toMatch(/^order line 2 \(SO-7\/2\): basis\.amount \(line\.netAmount\): 99999999999999\.98 has 16 significant digits/);
  });

  it("names the line in a quote preview, and the period totals", () => {
    const p = compileRebate(program);
    const order = { customer: { id: "D1" }, lines: [{ netAmount: "1.00" }, { netAmount: JSON.parse("12345678901234.567") as number }] };
    expect(ruleflowError("EVALUATION_ERROR", () => p.evaluate(order, { at: AT })).message).toMatch(
      /^order line #2: basis\.amount \(line\.netAmount\): 12345678901234\.566 has 17 significant digits/,
    );
    const ok = { customer: { id: "D1" }, line: { netAmount: 1 } };
    expect(ruleflowError("EVALUATION_ERROR", () => p.evaluate({ ...ok, periodToDate: { basis: 1234567890123456 } }, { at: AT })).message).toMatch(
      /^periodToDate\.basis: 1234567890123456 has 16 significant digits/,
    );
    expect(ruleflowError("EVALUATION_ERROR", () => p.evaluate({ ...ok, priorPeriod: { basis: 0.1 + 0.2 } }, { at: AT })).message).toMatch(
      /^priorPeriod\.basis: 0\.30000000000000004 has 17 significant digits/,
    );
  });
});

describe("promotion benefits read amounts from facts the same way", () => {
  it("refuses a 16-digit JSON number as the base of a discount", () => {
    const promo = compilePromotion({
      kind: "promotion",
      id: "d",
      version: 1,
      currency: "CNY",
      benefit: { type: "discount", percent: "10", of: "order.amount" },
    });
    expect(promo.evaluate({ order: { amount: 12345.67 } }, { at: AT }).benefits[0]).toMatchObject({ amount: "1234.57" });
    const e = ruleflowError("EVALUATION_ERROR", () => promo.evaluate({ order: { amount: JSON.parse("99999999999999.99") } }, { at: AT }));
    expect(e.message).toMatch(/benefit.*\.of.*99999999999999\.98 has 16 significant digits/);
  });
});
