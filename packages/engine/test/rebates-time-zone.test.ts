/**
 * Issue 9 item 7 in rebates: an order date without an offset is a wall clock
 * in the program's `timeZone` (default UTC), for the period a line lands in
 * and for the dates modifier conditions and `basis.where` compare.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileRebate, type RebateDefinition } from "../src/index.js";
import { settleRebates } from "../src/entries/rebates.js";
import { orderInstant } from "../src/rebates/lines.js";

const doc = (over: Partial<RebateDefinition> = {}): RebateDefinition => ({
  kind: "rebate",
  id: "ny",
  version: 1,
  currency: "USD",
  timeZone: "America/New_York",
  account: "customer.id",
  basis: { amount: "line.netAmount" },
  tiers: [{ from: "0", rate: "0.02" }],
  ...over,
});

const line = (date: string, id = "SO-1", extra: Record<string, unknown> = {}) => ({
  order: { id, date, ...extra },
  line: { no: 1, netAmount: "1000.00" },
  customer: { id: "C1" },
});

describe("rebate order dates in the program's time zone", () => {
  it("a date-only order date is that day in the program's zone (March, not February)", () => {
    const program = compileRebate(doc());
    const lines = [line("2026-03-01")];
    const feb = settleRebates({ program, lines, period: "2026-02", at: "2026-04-01T00:00:00Z" });
    const mar = settleRebates({ program, lines, period: "2026-03", at: "2026-04-10T00:00:00Z" });
    expect(feb.accounts).toHaveLength(0);
    expect(mar.accounts).toHaveLength(1);
    expect(mar.lines[0]!.date).toBe("2026-03-01T05:00:00.000Z");
  });

  it("an offset-less date-time is a wall clock in the zone; one with an offset is that instant", () => {
    const program = compileRebate(doc());
    const lines = [line("2026-02-28T23:30:00", "A"), line("2026-03-01T00:30:00", "B"), line("2026-03-01T03:00:00Z", "C")];
    const feb = settleRebates({ program, lines, period: "2026-02", at: "2026-04-01T00:00:00Z" });
    const mar = settleRebates({ program, lines, period: "2026-03", at: "2026-04-10T00:00:00Z" });
    expect(feb.lines.map((l) => l.key).sort()).toEqual(["A/1", "C/1"]);
    expect(mar.lines.map((l) => l.key)).toEqual(["B/1"]);
  });

  it("without a timeZone a date-only order date is UTC midnight", () => {
    const { timeZone: _unused, ...rest } = doc();
    const program = compileRebate(rest);
    const mar = settleRebates({ program, lines: [line("2026-03-01")], period: "2026-03", at: "2026-04-10T00:00:00Z" });
    expect(mar.lines[0]!.date).toBe("2026-03-01T00:00:00.000Z");
  });

  it("modifier conditions and basis.where read dates in the program's zone", () => {
    const program = compileRebate(
      doc({
        basis: { amount: "line.netAmount", where: { fact: "order.date", op: "gte", value: "2026-03-01" } },
        modifiers: [{ name: "launch week", when: { fact: "order.date", op: "lt", value: "2026-03-08" }, multiply: "2" }],
      }),
    );
    // 2026-03-07T23:00 New York is 2026-03-08T04:00Z: still launch week there.
    const lines = [line("2026-03-07T23:00:00-05:00", "A"), line("2026-03-08T00:30:00-05:00", "B"), line("2026-03-01T00:00:00-05:00", "C")];
    const mar = settleRebates({ program, lines, period: "2026-03", at: "2026-04-10T00:00:00Z" });
    const byKey = Object.fromEntries(mar.lines.map((l) => [l.key, l]));
    expect(byKey["A/1"]!.modifiers.map((m) => m.name)).toEqual(["launch week"]);
    expect(byKey["B/1"]!.modifiers).toEqual([]);
    expect(byKey["C/1"]!.excluded).toBeUndefined();
    expect(mar.excluded).toEqual([]);
    // The quote reads the order's dates in the zone too.
    const q = program.evaluate({ ...line("2026-03-07T23:00:00-05:00"), lines: [{ no: 1, netAmount: "100.00" }] }, { at: "2026-03-08T04:00:00Z" });
    expect(q.lines[0]!.modifiers.map((m) => m.name)).toEqual(["launch week"]);
  });

  it("offsets outside ±18:00 or with minutes of 60 or more are refused, naming the line", () => {
    for (const bad of ["2026-03-01T10:00:00+99:99", "2026-03-01T10:00:00+18:01", "2026-03-01T10:00:00-05:60", "2026-03-01T10:00:00+19:00"]) {
      expect(orderInstant(bad)).toBeUndefined();
      expect(() => settleRebates({ program: compileRebate(doc()), lines: [line(bad)], period: "2026-03", at: "2026-04-10T00:00:00Z" })).toThrow(/order line 1: orderDate/);
    }
    expect(orderInstant("2026-03-01T10:00:00+18:00")).toBe(Date.UTC(2026, 2, 1, 10) - 18 * 3_600_000);
    expect(orderInstant("2026-03-01T10:00:00-05:30")).toBe(Date.UTC(2026, 2, 1, 15, 30));
  });

  const zones = ["America/New_York", "Asia/Shanghai", "Pacific/Auckland", "America/St_Johns", "Asia/Kathmandu", "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"];
  test.prop([fc.constantFrom(...zones), fc.integer({ min: 2000, max: 2040 }), fc.integer({ min: 1, max: 12 }), fc.boolean()], { numRuns: 60 })(
    "an order at local 00:00 on the 1st always lands in that month",
    (timeZone, year, month, dateOnly) => {
      const program = compileRebate(doc({ timeZone }));
      const mm = String(month).padStart(2, "0");
      const date = dateOnly ? `${year}-${mm}-01` : `${year}-${mm}-01T00:00:00`;
      const period = `${year}-${mm}`;
      const prev = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
      const at = `${year + 1}-06-01T00:00:00Z`;
      expect(settleRebates({ program, lines: [line(date)], period, at }).accounts).toHaveLength(1);
      expect(settleRebates({ program, lines: [line(date)], period: prev, at }).accounts).toHaveLength(0);
    },
  );
});
