import { describe, expect, it } from "vitest";
import { compilePromotion, createRegistry, formatIssue, validateDefinition, type PromotionDefinition } from "../src/index.js";
import { ruleflowError } from "./helpers.js";

const AT = "2026-02-10T10:00:00+08:00";

const displaySubsidy: PromotionDefinition = {
  kind: "promotion",
  id: "q1-display-subsidy",
  version: 1,
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  effective: { from: "2026-01-01T00:00:00+08:00", to: "2026-04-01T00:00:00+08:00" },
  eligibility: {
    all: [
      { fact: "store.tier", op: "in", value: ["A", "B"] },
      { fact: "store.purchasesLast90d", op: "gte", value: 6, label: "at least 6 purchases in 90 days" },
      { fact: "store.inventoryDays", op: "lte", value: 30 },
      { fact: "store.competitorNewSkus", op: "lte", value: 3 },
      { fact: "visit.gpsVerified", op: "eq", value: true },
      { fact: "visit.photoCount", op: "gte", value: 1 },
    ],
  },
  benefit: { type: "gift", sku: "GIFT-01", quantity: "floor(order.cases / 10)", unitCost: "35.00" },
  limits: { budget: "200000.00", perStore: { count: 1, period: "quarter" } },
  dedupeKey: "store.id",
  dedupePeriod: "quarter",
  stacking: { group: "display", exclusive: true, priority: 10 },
  units: { "store.purchasesLast90d": "purchases", "order.cases": "cases" },
};

const goodStore = {
  store: { id: "SH-PD-0193", tier: "A", purchasesLast90d: 8, inventoryDays: 21, competitorNewSkus: 1 },
  visit: { gpsVerified: true, photoCount: 3 },
  order: { cases: 42 },
};

describe("promotion evaluation", () => {
  const promo = compilePromotion(displaySubsidy);

  it("an eligible store gets the benefit with its value", () => {
    const r = promo.evaluate(goodStore, { at: AT });
    expect(r).toMatchObject({
      kind: "promotion",
      id: "q1-display-subsidy",
      version: 1,
      at: "2026-02-10T02:00:00.000Z",
      eligible: true,
      inEffect: true,
      benefits: [{ type: "gift", sku: "GIFT-01", quantity: 4, value: "140.00" }],
      value: "140.00",
      currency: "CNY",
      failed: [],
      hints: [],
      nearMiss: false,
      stacking: { group: "display", mode: "exclusive", priority: 10 },
    });
    expect(r.output).toEqual({ eligible: true, benefits: r.benefits, value: "140.00" });
    expect(r.trace).toBeUndefined();
    expect(promo.evaluate(goodStore, { at: AT, trace: true }).trace?.passed).toBe(true);
  });

  it("an ineligible store gets every failed condition with index, fact, actual and expected", () => {
    const facts = {
      store: { id: "S2", tier: "C", purchasesLast90d: 3, inventoryDays: 21, competitorNewSkus: 5 },
      visit: { gpsVerified: true },
      order: { cases: 10 },
    };
    const r = promo.evaluate(facts, { at: AT });
    expect(r.eligible).toBe(false);
    expect(r.benefits).toEqual([]);
    expect(r.value).toBe("0.00");
    expect(r.failed).toEqual([
      { index: 0, path: "eligibility.all[0]", fact: "store.tier", op: "in", actual: "C", expected: ["A", "B"] },
      { index: 1, path: "eligibility.all[1]", label: "at least 6 purchases in 90 days", fact: "store.purchasesLast90d", op: "gte", actual: 3, expected: 6 },
      { index: 3, path: "eligibility.all[3]", fact: "store.competitorNewSkus", op: "lte", actual: 5, expected: 3 },
      { index: 5, path: "eligibility.all[5]", fact: "visit.photoCount", op: "gte", actual: null, expected: 1, missing: true },
    ]);
    expect(r.hints).toEqual([
      { index: 1, fact: "store.purchasesLast90d", gap: 3, direction: "more", message: "3 more purchases to qualify" },
      { index: 3, fact: "store.competitorNewSkus", gap: 2, direction: "fewer", message: "2 fewer competitorNewSkus to qualify" },
    ]);
    expect(r.nearMiss).toBe(false);
    expect(r.trace?.passed).toBe(false);
  });

  it("is a near miss when more of something would qualify", () => {
    const r = promo.evaluate({ ...goodStore, store: { ...goodStore.store, purchasesLast90d: 5 } }, { at: AT });
    expect(r.nearMiss).toBe(true);
    expect(r.hints.map((h) => h.message)).toEqual(["1 more purchases to qualify"]);
  });

  it("is not eligible outside its effective window, and says so", () => {
    const r = promo.evaluate(goodStore, { at: "2026-04-01T00:00:00+08:00" });
    expect(r.eligible).toBe(false);
    expect(r.inEffect).toBe(false);
    expect(r.failed[0]).toEqual({ index: -1, path: "effective", fact: "now", op: "before", actual: "2026-03-31T16:00:00.000Z", expected: "2026-04-01T00:00:00+08:00" });
    expect(promo.evaluate(goodStore, { at: "2025-12-31T23:59:59+08:00" }).failed[0]).toMatchObject({ op: "after", expected: "2026-01-01T00:00:00+08:00" });
  });

  it("refuses a gift quantity that is not a whole number, naming the benefit", () => {
    const p = compilePromotion({ ...displaySubsidy, benefit: { type: "gift", sku: "G", quantity: "order.cases / 10", unitCost: "1.00" } });
    const e = ruleflowError("EVALUATION_ERROR", () => p.evaluate(goodStore, { at: AT }));
    expect(e.message).toMatch(/benefit.quantity: expected a whole number of gifts, got number 4.2; use floor\(\)/);
  });
});

describe("benefits", () => {
  const base = { id: "b", version: 1, currency: "CNY" } as const;
  const at = { at: AT };

  it("percentage discount with a cap, rounded with the promotion's mode", () => {
    const p = compilePromotion({ ...base, benefit: { type: "discount", percent: "12.5", of: "order.amount", cap: "500.00" } });
    expect(p.evaluate({ order: { amount: "1000.00" } }, at).benefits).toEqual([
      { type: "discount", amount: "125.00", base: "1000.00", percent: "12.5", capped: false, value: "125.00" },
    ]);
    expect(p.evaluate({ order: { amount: 8000 } }, at).benefits[0]).toMatchObject({ amount: "500.00", capped: true });
    // 0.125 * 12.5% = 0.015625 -> 0.02 (half-even rounds to the nearest cent)
    expect(p.evaluate({ order: { amount: "0.13" } }, at).benefits[0]).toMatchObject({ amount: "0.02" });
    const down = compilePromotion({ ...base, rounding: { mode: "down" }, benefit: { type: "discount", percent: "10", cap: "500.00" } });
    expect(down.evaluate({ order: { amount: "9.99" } }, at).benefits[0]).toMatchObject({ amount: "0.99", base: "9.99" });
  });

  it("fixed discount never more than the amount it applies to", () => {
    const p = compilePromotion({ ...base, benefit: { type: "discount", amount: "50.00" } });
    expect(p.evaluate({ order: { amount: 200 } }, at).value).toBe("50.00");
    expect(p.evaluate({ order: { amount: "30.00" } }, at).value).toBe("30.00");
  });

  it("points: 200% of the order amount for a new customer's first order over 50,000", () => {
    const p = compilePromotion({
      ...base,
      eligibility: { expr: 'customer.segment == "new" and order.isFirst and order.amount > 50000' },
      benefit: { type: "points", multiplier: "2", of: "order.amount" },
    });
    const r = p.evaluate({ customer: { segment: "new" }, order: { isFirst: true, amount: 68000.5 } }, at);
    expect(r.benefits).toEqual([{ type: "points", points: 136001, base: "68000.50", multiplier: "2", value: "0.00" }]);
    const no = p.evaluate({ customer: { segment: "new" }, order: { isFirst: true, amount: 50000 } }, at);
    expect(no.eligible).toBe(false);
    expect(no.failed).toEqual([
      { index: 0, path: "eligibility", expr: 'customer.segment == "new" and order.isFirst and order.amount > 50000', actual: false, expected: true },
    ]);
  });

  it("subsidy and several benefits at once", () => {
    const p = compilePromotion({ ...base, benefit: [{ type: "subsidy", amount: "3000.00", label: "display fee" }, { type: "gift", sku: "POSM-1", quantity: 2 }] });
    const r = p.evaluate({}, at);
    expect(r.benefits).toEqual([
      { type: "subsidy", amount: "3000.00", value: "3000.00", label: "display fee" },
      { type: "gift", sku: "POSM-1", quantity: 2, value: "0.00" },
    ]);
    expect(r.value).toBe("3000.00");
  });

  it("amounts in JPY have no decimals", () => {
    const p = compilePromotion({ id: "jp", version: 1, currency: "JPY", benefit: { type: "discount", percent: "3" } });
    expect(p.evaluate({ order: { amount: 1999 } }, at).value).toBe("60");
  });

  it("negated conditions explain what held and must not", () => {
    const p = compilePromotion({ ...base, eligibility: { not: { fact: "customer.blacklisted", op: "eq", value: true } }, benefit: { type: "subsidy", amount: "1.00" } });
    const r = p.evaluate({ customer: { blacklisted: true } }, at);
    expect(r.failed).toEqual([{ index: 0, path: "eligibility.not", fact: "customer.blacklisted", op: "eq", actual: true, expected: true, negated: true }]);
    expect(r.hints).toEqual([]);
  });

  it("any-of failures list every alternative and their hints", () => {
    const p = compilePromotion({
      ...base,
      eligibility: { any: [{ fact: "order.cases", op: "gt", value: 20 }, { fact: "order.amount", op: "between", value: [1000, 2000] }] },
      benefit: { type: "subsidy", amount: "1.00" },
    });
    const r = p.evaluate({ order: { cases: 18, amount: 2500 } }, at);
    expect(r.hints.map((h) => h.message)).toEqual(["more than 2 more cases to qualify", "500 fewer amount to qualify"]);
    expect(r.nearMiss).toBe(true);
  });
});

describe("promotion documents", () => {
  it("registers as a kind and loads in a registry with versions", () => {
    const v2 = { ...displaySubsidy, version: 2, effective: { from: "2026-03-01T00:00:00+08:00", to: "2026-04-01T00:00:00+08:00" }, benefit: { type: "gift" as const, sku: "GIFT-02", quantity: 1, unitCost: "10.00" } };
    const registry = createRegistry([displaySubsidy, v2]);
    expect(registry.evaluate("q1-display-subsidy", goodStore, { at: AT }).version).toBe(1);
    const r = registry.evaluate("q1-display-subsidy", goodStore, { at: "2026-03-05T10:00:00+08:00" });
    expect(r.version).toBe(2);
    expect(r.output).toMatchObject({ eligible: true, value: "10.00" });
  });

  it("reports every problem with its path", () => {
    const r = validateDefinition({
      kind: "promotion",
      id: "bad",
      version: 1,
      currency: "RMB",
      timeZone: "Asia/Nowhere",
      eligibility: { all: [{ fact: "store.tier", op: "bogus", value: 1 }] },
      benefit: { type: "discount", percent: "10", amount: "5.00" },
      limits: { perStore: { period: "month" }, budget: 100 },
      stacking: { mode: "best-of", exclusive: true },
    });
    expect(r.issues.map(formatIssue)).toEqual([
      "currency: expected an ISO 4217 currency code such as CNY, USD, EUR or JPY",
      'timeZone: unknown time zone "Asia/Nowhere"; use UTC, an offset such as +08:00, or an IANA name such as Asia/Shanghai',
      'eligibility.all[0].op: expected one of eq, ne, gt, gte, lt, lte, in, notIn, contains, notContains, between, exists, startsWith, endsWith, before, after, withinLast, got "bogus"',
      'benefit: a discount takes either "percent" or "amount"',
      expect.stringMatching(/^limits.budget: /),
      'limits.perStore: a limit needs "count", "budget" or both',
    ]);
  });

  it("reports meaning problems: budgets need money values, amounts fit the currency, expressions compile", () => {
    const r = validateDefinition({
      kind: "promotion",
      id: "bad",
      version: 1,
      currency: "CNY",
      benefit: [{ type: "gift", sku: "G", quantity: "floor(order.cases / )" }, { type: "subsidy", amount: "1.234" }],
      limits: { budget: "100.00", per: [{ key: "store.region", budget: "10.001", period: "month" }] },
      stacking: { mode: "best-of", exclusive: true },
      rounding: { scale: 3 },
    });
    expect(r.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^benefit\[0\].quantity: /),
    ]);
    const r2 = validateDefinition({
      kind: "promotion",
      id: "bad",
      version: 1,
      currency: "CNY",
      benefit: [{ type: "gift", sku: "G", quantity: 1 }, { type: "subsidy", amount: "1.234" }],
      limits: { budget: "100.00", per: [{ key: "store.region", budget: "10.001", period: "month" }] },
      stacking: { mode: "best-of", exclusive: true },
      rounding: { scale: 3 },
    });
    expect(r2.issues.map(formatIssue)).toEqual([
      "rounding.scale: CNY has 2 decimal places; rounding.scale can be at most 2",
      "benefit[1].amount: 1.234 has 3 decimal places; at most 2 are allowed",
      "limits.per[0].budget: 10.001 has more decimal places than CNY allow (2)",
      'benefit[0].unitCost: the promotion has a budget, so every benefit needs a money value: add "unitCost"',
      'stacking.exclusive: "exclusive": true contradicts "mode": "best-of"; keep one of them',
    ]);
  });

  it("checks facts against declared facts", () => {
    const r = validateDefinition({ ...displaySubsidy, facts: ["store", "visit"] });
    expect(r.issues.map(formatIssue)).toEqual([expect.stringMatching(/^benefit.quantity: unknown fact "order.cases"/)]);
  });
});
