import { describe, expect, it } from "vitest";
import { compileRebate, createRegistry, type RebateDefinition } from "../src/index.js";
import { ruleflowError } from "./helpers.js";

const AT = "2026-02-10T10:00:00+08:00";

const doc: RebateDefinition = {
  kind: "rebate",
  id: "distributor-rebate",
  version: 4,
  currency: "CNY",
  account: "customer.id",
  basis: { amount: "line.netAmount", exclude: ["returned"] },
  mode: "retroactive",
  tiers: [
    { from: "0", rate: "0.02", name: "base" },
    { from: "1000000", rate: "0.035", name: "silver" },
    { from: "3000000", rate: "0.05", name: "gold" },
  ],
  modifiers: [{ name: "good payer", when: { fact: "customer.paymentRate90d", op: "gte", value: 0.95 }, multiply: "1.1" }],
};

const order = {
  customer: { id: "D-001", paymentRate90d: 0.97 },
  lines: [
    { netAmount: "150000.00", status: "signed" },
    { netAmount: "100000.00", status: "signed" },
    { netAmount: "999.00", status: "returned" },
  ],
  periodToDate: { basis: "900000.00" },
  priorPeriod: { basis: "800000.00" },
};

describe("quote-time preview", () => {
  it("gives the rate this order earns, the change against last period and what reaches the next tier", () => {
    const q = compileRebate(doc).evaluate(order, { at: AT });
    expect(q).toMatchObject({
      kind: "rebate",
      id: "distributor-rebate",
      version: 4,
      at: "2026-02-10T02:00:00.000Z",
      currency: "CNY",
      account: "D-001",
      basis: "250000.00",
      periodToDate: "900000.00",
      projected: "1150000.00",
      tier: { index: 1, name: "silver", rate: "0.035", measure: "1150000.00" },
      baseRate: "0.035",
      rate: "0.0385",
      rebate: "9625.00",
      // 1,150,000 x 3.85% - 900,000 x 2.2%: the order also lifts the month's earlier orders to silver (good payer x 1.1 throughout)
      marginal: "24475.00",
      // last period's rates: base 2% before modifiers, 2.2% with this order's
      previous: { basis: "800000.00", tier: { index: 0, name: "base" }, baseRate: "0.02", rate: "0.022" },
      change: "+0.0165",
      baseChange: "+0.015",
      nextTier: { index: 2, name: "gold", from: "3000000", rate: "0.05", remaining: "1850000.00", remainingOf: "amount" },
    });
    expect(q.lines.map((l) => [l.basis, l.rate, l.excluded])).toEqual([
      ["150000.00", "0.0385", undefined],
      ["100000.00", "0.0385", undefined],
      ["0.00", "0", 'status "returned"'],
    ]);
    expect(q.output).toEqual({ rate: "0.0385", rebate: "9625.00", tier: q.tier, change: "+0.0165", nextTier: q.nextTier });
  });

  it("works for one line, without period totals, and at the top tier", () => {
    const p = compileRebate(doc);
    const one = p.evaluate({ customer: { id: "D", paymentRate90d: 0.5 }, line: { netAmount: 3500000, status: "signed" } }, { at: AT });
    expect(one).toMatchObject({ rate: "0.05", rebate: "175000.00", nextTier: null, previous: null, change: null });
    const down = p.evaluate({ customer: { id: "D", paymentRate90d: 0.5 }, line: { netAmount: "10.00" }, priorPeriod: { basis: "2000000.00" } }, { at: AT });
    // paymentRate90d 0.5: no modifier, so the rate change and the base rate change agree
    expect(down).toMatchObject({ change: "-0.015", baseChange: "-0.015" });
  });

  it("previews incremental programs with the blended rate", () => {
    const p = compileRebate({ ...doc, mode: "incremental", modifiers: [] });
    const q = p.evaluate({ customer: { id: "D" }, line: { netAmount: "500000.00" }, periodToDate: { basis: "1000000.00" } }, { at: AT });
    // 20,000 + 500,000 x 3.5% = 37,500 on 1,500,000
    expect(q).toMatchObject({ baseRate: "0.025", rate: "0.025", rebate: "12500.00", marginal: "17500.00" });
  });

  it("is what registry.evaluate returns for a rebate program", () => {
    const registry = createRegistry([doc]);
    const r = registry.evaluate("distributor-rebate", order, { at: AT });
    expect(r.kind).toBe("rebate");
    expect(r.output).toMatchObject({ rate: "0.0385", rebate: "9625.00" });
  });

  it("refuses totals that are not amounts", () => {
    const p = compileRebate(doc);
    expect(ruleflowError("EVALUATION_ERROR", () => p.evaluate({ ...order, periodToDate: { basis: "lots" } }, { at: AT })).message).toMatch(/periodToDate.basis: expected an amount/);
  });
});
