import { describe, expect, it } from "vitest";
import { createRegistry, type CompiledPromotion } from "@ruleflow/engine";
import { createPromotionClaims, createMemoryClaimStore, createPromotionSet } from "@ruleflow/engine/promotions";
import { runCommerceDemo, settleExampleRebates } from "../src/demo-commerce.js";
import { runDemo } from "../src/demo.js";
import { loadDefinitions, loadFacts } from "../src/definitions.js";

describe("the commerce demo", () => {
  const lines: string[] = [];
  runCommerceDemo((l) => lines.push(l));
  const text = lines.join("\n");

  it("checks promotions for a store order: applied, skipped with why, and a near miss", () => {
    expect(text).toMatch(/q1-display-subsidy +1 +display +exclusive +10 +6 x GIFT-01 \(210.00\) +210.00/);
    expect(text).toContain('skipped: spring-case-discount skipped: group "display" is exclusive and q1-display-subsidy has higher priority (10 > 5)');
    expect(text).toContain("✗ [2] order.amount gt 50000, actual 48000");
    expect(text).toContain("→ more than 2000.00 CNY more to qualify");
  });

  it("prints February's statement with the mid-month version change and January's claw-back", () => {
    expect(text).toContain("version 3 from 2026-01-01T00:00:00+08:00 until 2026-02-15T00:00:00+08:00: 4 line(s)");
    expect(text).toMatch(/SO-2602-07\/1 +2026-02-20 +D-001 +4 +600000.00 +1 +0.049 +good payer x1.1, new line bonus \+0.005 +29400.00/);
    expect(text).toMatch(/2026-01 +SO-2601-03\/1 +clawback +6930.00 +0.00 +-6930.00 +status "returned" after 2026-01 was settled/);
    expect(text).toContain("Totals: basis 4662345.66, earned 245721.91, paid before 0.00, due 245721.91, adjustments -22110.00, payable 223611.91");
  });

  it("is part of the README demo and reproducible", () => {
    const a: string[] = [];
    const b: string[] = [];
    runDemo((l) => a.push(l));
    runDemo((l) => b.push(l));
    expect(a.join("\n")).toContain("## Monthly rebate statement: distributor-rebate, February 2026");
    expect(a).toEqual(b);
  });
});

describe("example rebate data", () => {
  const { january, february } = settleExampleRebates();

  it("January pays each distributor at its tier, lines summing to each account", () => {
    expect(january.accounts.map((a) => [a.account, a.tiers[0]!.reached.name, a.earned])).toEqual([
      ["D-001", "silver", "42350.00"],
      ["D-002", "base", "8000.00"],
      ["D-003", "gold", "170500.00"],
    ]);
    expect(january.totals.payable).toBe("220850.00");
  });

  it("February's breakdowns add up to its totals", () => {
    const sum = (xs: string[]) => xs.reduce((a, x) => a + BigInt(x.replace(".", "")), 0n);
    for (const rows of Object.values(february.breakdown)) {
      expect(sum(rows.map((r) => r.payable))).toBe(sum([february.totals.payable]));
    }
  });
});

describe("example promotions", () => {
  const registry = createRegistry(loadDefinitions());
  const display = registry.resolve("q1-display-subsidy", "2026-02-10T10:00:00+08:00") as CompiledPromotion;

  it("a store claims the display subsidy once per quarter; the second claim names the first", async () => {
    const claims = createPromotionClaims({ store: createMemoryClaimStore() });
    const facts = loadFacts("store-order");
    const first = await claims.claim(display, facts, { idempotencyKey: "visit-0217-a", at: "2026-02-10T10:00:00+08:00" });
    expect(first).toMatchObject({ status: "claimed", data: { value: "210.00" } });
    const again = await claims.claim(display, facts, { idempotencyKey: "visit-0217-b", at: "2026-03-02T10:00:00+08:00" });
    expect(again).toMatchObject({ status: "duplicate", firstClaim: { claimId: "visit-0217-a", period: "2026-Q1" } });
  });

  it("the ineligible store visit lists its failed conditions and hints", () => {
    const set = createPromotionSet(registry.ids().flatMap((id) => registry.versions(id).filter((d) => d.kind === "promotion")));
    const r = set.evaluate(loadFacts("store-visit"), { at: "2026-02-10T10:00:00+08:00" });
    const q1 = r.ineligible.find((p) => p.id === "q1-display-subsidy")!;
    expect(q1.failed.map((f) => f.fact)).toEqual(["store.purchasesLast90d", "store.inventoryDays", "visit.photoCount"]);
    expect(q1.hints.map((h) => h.message)).toEqual(["2 more purchases to qualify", "11 fewer days of stock to qualify", "1 more photos to qualify"]);
    expect(q1.nearMiss).toBe(true);
  });
});
