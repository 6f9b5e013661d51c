import { describe, expect, it } from "vitest";
import { formatIssue, ValidationError, type PromotionDefinition } from "../src/index.js";
import { createPromotionSet } from "../src/entries/promotions.js";
import { thrown } from "./helpers.js";

const AT = "2026-02-10T10:00:00+08:00";

const promo = (id: string, over: Partial<PromotionDefinition> = {}): PromotionDefinition => ({
  kind: "promotion",
  id,
  version: 1,
  currency: "CNY",
  benefit: { type: "discount", percent: "10" },
  ...over,
});

describe("stacking", () => {
  const facts = { order: { amount: 1000, cases: 30 }, customer: { tier: "A" } };

  it("stackable promotions all apply; exclusive groups apply the highest priority; best-of the largest value", () => {
    const set = createPromotionSet([
      promo("a-stack-1", { stacking: { group: "season", mode: "stackable" }, benefit: { type: "discount", amount: "10.00" } }),
      promo("a-stack-2", { stacking: { group: "season", mode: "stackable" }, benefit: { type: "discount", amount: "20.00" } }),
      promo("b-excl-low", { stacking: { group: "display", exclusive: true, priority: 1 }, benefit: { type: "subsidy", amount: "500.00" } }),
      promo("b-excl-high", { stacking: { group: "display", exclusive: true, priority: 10 }, benefit: { type: "subsidy", amount: "100.00" } }),
      promo("c-best-small", { stacking: { group: "volume", mode: "best-of", priority: 9 }, benefit: { type: "discount", percent: "5" } }),
      promo("c-best-big", { stacking: { group: "volume", mode: "best-of" }, benefit: { type: "discount", percent: "8" } }),
      promo("d-alone", { benefit: { type: "points", multiplier: "1" } }),
      promo("e-no-gift", { benefit: { type: "gift", sku: "G", quantity: "floor(order.cases / 50)" } }),
      promo("f-not-tier-b", { eligibility: { fact: "customer.tier", op: "eq", value: "B" } }),
    ]);
    const r = set.evaluate(facts, { at: AT });
    expect(r.applied.map((p) => `${p.id} ${p.value}`)).toEqual([
      "b-excl-high 100.00",
      "a-stack-1 10.00",
      "a-stack-2 20.00",
      "c-best-big 80.00",
      "d-alone 0.00",
    ]);
    expect(r.skipped).toEqual([
      { id: "e-no-gift", version: 1, group: "e-no-gift", reason: "no-benefit", value: "0.00", message: "e-no-gift is eligible but its benefit is zero for these facts" },
      {
        id: "b-excl-low",
        version: 1,
        group: "display",
        reason: "exclusive",
        by: "b-excl-high",
        value: "500.00",
        message: 'b-excl-low skipped: group "display" is exclusive and b-excl-high has higher priority (10 > 1)',
      },
      {
        id: "c-best-small",
        version: 1,
        group: "volume",
        reason: "best-of",
        by: "c-best-big",
        value: "50.00",
        message: 'c-best-small skipped: group "volume" is best-of and c-best-big is worth more (80.00 vs 50.00)',
      },
    ]);
    expect(r.value).toBe("210.00");
    expect(r.currency).toBe("CNY");
    expect(r.eligible).toHaveLength(8);
    expect(r.ineligible.map((p) => p.id)).toEqual(["f-not-tier-b"]);
    expect(r.ineligible[0]!.failed[0]).toMatchObject({ fact: "customer.tier", actual: "A", expected: "B" });
    expect(r.errors).toEqual([]);
  });

  it("exclusive ties go to the larger value, then the id; best-of ties to priority", () => {
    const set = createPromotionSet([
      promo("x2", { stacking: { group: "g", exclusive: true }, benefit: { type: "subsidy", amount: "5.00" } }),
      promo("x1", { stacking: { group: "g", exclusive: true }, benefit: { type: "subsidy", amount: "5.00" } }),
      promo("x0", { stacking: { group: "g", exclusive: true }, benefit: { type: "subsidy", amount: "1.00" } }),
      promo("y1", { stacking: { group: "h", mode: "best-of", priority: 1 }, benefit: { type: "subsidy", amount: "5.00" } }),
      promo("y2", { stacking: { group: "h", mode: "best-of", priority: 2 }, benefit: { type: "subsidy", amount: "5.00" } }),
    ]);
    const r = set.evaluate({}, { at: AT });
    expect(r.applied.map((p) => p.id)).toEqual(["y2", "x1"]);
    expect(r.skipped.map((s) => `${s.id}<${s.by}`)).toEqual(["x2<x1", "x0<x1", "y1<y2"]);
  });

  it("uses each promotion's version effective at the evaluation time", () => {
    const set = createPromotionSet([
      promo("p", { version: 1, effective: { to: "2026-03-01T00:00:00+08:00" }, benefit: { type: "subsidy", amount: "1.00" } }),
      promo("p", { version: 2, effective: { from: "2026-03-01T00:00:00+08:00", to: "2026-04-01T00:00:00+08:00" }, benefit: { type: "subsidy", amount: "2.00" } }),
    ]);
    expect(set.evaluate({}, { at: AT }).applied).toMatchObject([{ id: "p", version: 1, value: "1.00" }]);
    expect(set.evaluate({}, { at: "2026-03-02T00:00:00+08:00" }).applied).toMatchObject([{ id: "p", version: 2, value: "2.00" }]);
    const after = set.evaluate({}, { at: "2026-05-01T00:00:00+08:00" });
    expect(after.applied).toEqual([]);
    expect(after.ineligible[0]).toMatchObject({ version: 2, inEffect: false });
  });

  it("lists promotions that fail on the facts as errors, without stopping the others", () => {
    const set = createPromotionSet([promo("ok"), promo("bad", { benefit: { type: "discount", percent: "10", of: "order.note" } })]);
    const r = set.evaluate({ order: { amount: 100, note: "x" } }, { at: AT });
    expect(r.applied.map((p) => p.id)).toEqual(["ok"]);
    expect(r.errors).toEqual([{ id: "bad", version: 1, message: expect.stringMatching(/^promotion "bad" v1: benefit.of: expected an amount/) }]);
  });

  it("can skip explanations for speed", () => {
    const set = createPromotionSet([promo("no", { eligibility: { fact: "x", op: "eq", value: 1 } })]);
    const r = set.evaluate({}, { at: AT, explain: false });
    expect(r.ineligible[0]!.failed).toEqual([]);
    expect(r.ineligible[0]!.trace).toBeUndefined();
  });

  it("refuses groups whose members disagree, mixed currencies and invalid documents, listing every problem", () => {
    const e = thrown(() =>
      createPromotionSet([
        promo("a", { stacking: { group: "g", mode: "exclusive" } }),
        promo("b", { stacking: { group: "g", mode: "best-of" } }),
        promo("c", { currency: "USD" }),
        { kind: "promotion", id: "d", version: 1 },
        { kind: "ruleset", id: "r", version: 1, rules: [{ id: "x", then: {} }] },
      ]),
    ) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.issues.map(formatIssue)).toEqual([
      "[3].benefit: is required (expected an object)",
      "[4].kind: expected a promotion, got a ruleset",
      '[1].stacking.mode: group "g" is exclusive in a but best-of in b; every member of a group must use the same mode',
      "[2].currency: c is in USD but a is in CNY; a set uses one currency",
    ]);
  });
});
