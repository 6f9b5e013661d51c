/** The seed example definitions in packages/examples/definitions, end to end. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  NoEffectiveVersionError,
  compileDefinition,
  createRegistry,
  type ConditionTrace,
  type RuleTrace,
} from "../src/index.js";
import { explainConditionTrace } from "../src/entries/rules.js";
import { asDecision, loadExampleDefinitions } from "./helpers.js";

const docs = loadExampleDefinitions();
const registry = createRegistry([...docs.values()]);
const AT = "2026-02-01T10:00:00+08:00";

function doc(id: string): Record<string, unknown> {
  const d = docs.get(id);
  if (!d) throw new Error(`example ${id} not found`);
  return d;
}

describe("contract auto-approval", () => {
  const evaluate = (amount: unknown, creditRating: unknown, at = AT) =>
    asDecision(registry.evaluate("contract-auto-approval", { contract: { amount }, customer: { creditRating } }, { at }));

  it("auto-approves a contract under 500,000 from a customer rated A", () => {
    const r = evaluate(499_999.99, "A");
    expect(r).toMatchObject({ id: "contract-auto-approval", version: 3, output: { decision: "auto-approve" } });
    expect(r.matched.map((m) => m.id)).toEqual(["small-and-a-credit"]);
  });

  it("sends exactly 500,000 to manual review", () => {
    const r = evaluate(500_000, "A");
    expect(r.output).toEqual({ decision: "manual" });
    expect(r.matched.map((m) => m.id)).toEqual(["otherwise"]);
  });

  it("sends other ratings and missing facts to manual review", () => {
    expect(evaluate(1000, "B").output).toEqual({ decision: "manual" });
    expect(evaluate(1000, "a").output).toEqual({ decision: "manual" });
    expect(evaluate(undefined, "A").output).toEqual({ decision: "manual" });
    // A decimal-string amount is an amount (docs/money.md); text that is not a number is an error, never a quiet "manual".
    expect(evaluate("1000.00", "A").output).toEqual({ decision: "auto-approve" });
    expect(() => evaluate("1,000", "A")).toThrow(/rules\[0\]\.when\.all\[0\]/);
    expect(registry.evaluate("contract-auto-approval", {}, { at: AT }).output).toEqual({ decision: "manual" });
  });

  test.prop([fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.constantFrom(499_999, 500_000, 500_001)), fc.constantFrom("A", "B", "C", null)], { seed: 91, numRuns: 200 })(
    "approves exactly when amount < 500,000 and rating is A",
    (amount, rating) => {
      const expected = amount < 500_000 && rating === "A" ? "auto-approve" : "manual";
      expect(evaluate(amount, rating).output).toEqual({ decision: expected });
    },
  );

  it("explains which condition failed", () => {
    const r = asDecision(registry.evaluate("contract-auto-approval", { contract: { amount: 500_000 }, customer: { creditRating: "A" } }, { at: AT, trace: true }));
    const [first] = r.trace!.rules as RuleTrace[];
    expect(first!.matched).toBe(false);
    const leaves = (first!.condition as Extract<ConditionTrace, { children: ConditionTrace[] }>).children;
    expect(leaves).toEqual([
      expect.objectContaining({ label: "contract under 500,000", actual: 500_000, expected: 500_000, op: "lt", passed: false }),
      expect.objectContaining({ label: "credit rating A", actual: "A", expected: "A", passed: true }),
    ]);
  });

  it("is not in force before 2026-01-01 (+08:00)", () => {
    expect(() => evaluate(1, "A", "2025-12-31T23:59:59+08:00")).toThrow(NoEffectiveVersionError);
    expect(evaluate(1, "A", "2025-12-31T16:00:00Z").version).toBe(3);
  });
});

describe("new customer first-order points", () => {
  const evaluate = (segment: unknown, isFirst: unknown, amount: number) =>
    asDecision(registry.evaluate("first-order-points", { customer: { segment }, order: { isFirst, amount } }, { at: AT }));

  it("gives 2x points to a new customer's first order over 50,000", () => {
    const amount = 80_000;
    expect(evaluate("new", true, amount).output).toEqual({ pointsMultiplier: 2, points: amount * 2 });
  });

  it("gives standard points at exactly 50,000, to existing customers and to repeat orders", () => {
    for (const [segment, isFirst, amount] of [
      ["new", true, 50_000],
      ["existing", true, 90_000],
      ["new", false, 90_000],
      ["new", "true", 90_000],
    ] as const) {
      expect(evaluate(segment, isFirst, amount).output, `${segment} ${String(isFirst)} ${amount}`).toEqual({ pointsMultiplier: 1, points: amount });
    }
  });

  test.prop([fc.constantFrom("new", "existing", null), fc.boolean(), fc.integer({ min: 0, max: 200_000 })], { seed: 92, numRuns: 200 })(
    "points are the amount times the multiplier",
    (segment, isFirst, amount) => {
      const multiplier = segment === "new" && isFirst && amount > 50_000 ? 2 : 1;
      expect(evaluate(segment, isFirst, amount).output).toEqual({ pointsMultiplier: multiplier, points: amount * multiplier });
    },
  );
});

describe("rebate rate table", () => {
  const evaluate = (tier: unknown, productLine: unknown, paymentRate90d: unknown) =>
    asDecision(registry.evaluate("rebate-rate", { customer: { tier, paymentRate90d }, order: { productLine } }, { at: AT }));

  /** The table written out as plain code. */
  function expectedRate(tier: unknown, line: unknown, paid: unknown): string {
    const isNum = typeof paid === "number";
    if (tier === "A" && line === "new" && isNum && paid >= 0.95) return "0.125";
    if (tier === "A" && isNum && paid >= 0.95) return "0.10";
    if (tier === "B" && isNum && paid >= 0.9 && paid <= 1) return "0.08";
    if (isNum && paid < 0.6) return "0";
    return "0.05";
  }

  it("gives the documented rates, as exact decimal strings", () => {
    expect(evaluate("A", "new", 0.97).output).toEqual({ rate: "0.125" });
    expect(evaluate("A", "classic", 0.95).output).toEqual({ rate: "0.10" });
    expect(evaluate("A", "new", 0.9499).output).toEqual({ rate: "0.05" });
    expect(evaluate("B", "new", 0.9).output).toEqual({ rate: "0.08" });
    expect(evaluate("B", "new", 1).output).toEqual({ rate: "0.08" });
    expect(evaluate("C", "new", 0.59).output).toEqual({ rate: "0" });
    expect(evaluate("C", "new", 0.6).output).toEqual({ rate: "0.05" });
    expect(evaluate(undefined, undefined, undefined).output).toEqual({ rate: "0.05" });
    const r = evaluate("A", "new", 0.97);
    expect(r).toMatchObject({ kind: "decision-table", id: "rebate-rate", version: 2, hitPolicy: "first" });
    expect(r.matched.map((m) => m.id)).toEqual(["a-new-line-good-payer"]);
  });

  test.prop(
    [fc.constantFrom("A", "B", "C", null), fc.constantFrom("new", "classic", null), fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0.6, 0.9, 0.95, 1, null))],
    { seed: 93, numRuns: 300 },
  )("agrees with the table written out as code", (tier, line, paid) => {
    expect(evaluate(tier, line, paid).output).toEqual({ rate: expectedRate(tier, line, paid) });
  });

  it("refuses a changed table without a new version", () => {
    const changed = structuredClone(doc("rebate-rate"));
    (changed["rules"] as { rate: string }[])[4]!.rate = "0.06";
    expect(() => createRegistry([doc("rebate-rate"), changed])).toThrow(/version 2 is already loaded/);
  });
});

describe("FMCG display pre-check", () => {
  const eligibleStore = { tier: "B", purchasesLast90d: 6, inventoryDays: 30, competitorNewSkus: 3 };
  const verifiedVisit = { gpsVerified: true, photoCount: 1 };
  const evaluate = (store: Record<string, unknown>, visit: Record<string, unknown>, at = AT) =>
    asDecision(registry.evaluate("fmcg-display-precheck", { store, visit }, { at, trace: true }));

  it("passes a store that meets every condition (at the boundaries)", () => {
    const r = evaluate(eligibleStore, verifiedVisit);
    expect(r.output).toEqual({ eligible: true });
    expect(r.matched.map((m) => m.id)).toEqual(["eligible"]);
  });

  it("explains every failed condition with its label, actual and expected values", () => {
    const store = { tier: "C", purchasesLast90d: 6, inventoryDays: 45, competitorNewSkus: 3 };
    const visit = { gpsVerified: true };
    const r = evaluate(store, visit);
    expect(r.output).toEqual({ eligible: false });
    const rule = (r.trace!.rules as RuleTrace[]).find((t) => t.id === "eligible")!;
    const leaves = (rule.condition as Extract<ConditionTrace, { children: ConditionTrace[] }>).children as Extract<ConditionTrace, { type: "fact" }>[];
    const failed = leaves.filter((l) => !l.passed);
    expect(failed.map((l) => ({ label: l.label, fact: l.fact, actual: l.actual, expected: l.expected, missing: l.missing }))).toEqual([
      { label: "store tier A or B", fact: "store.tier", actual: "C", expected: ["A", "B"], missing: undefined },
      { label: "inventory at most 30 days", fact: "store.inventoryDays", actual: 45, expected: 30, missing: undefined },
      { label: "at least one shelf photo", fact: "visit.photoCount", actual: null, expected: 1, missing: true },
    ]);
    const lines = explainConditionTrace(rule.condition!);
    expect(lines.filter((l) => l.includes("✗")).length).toBe(failed.length + 1);
    expect(lines.join("\n")).toContain("store tier A or B");
  });

  test.prop(
    [
      fc.record({ tier: fc.constantFrom("A", "B", "C"), purchasesLast90d: fc.integer({ min: 0, max: 12 }), inventoryDays: fc.integer({ min: 0, max: 60 }), competitorNewSkus: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ gpsVerified: fc.boolean(), photoCount: fc.integer({ min: 0, max: 3 }) }),
    ],
    { seed: 94, numRuns: 200 },
  )("is eligible exactly when all six conditions hold, and lists each one that does not", (store, visit) => {
    const checks = [
      store.tier === "A" || store.tier === "B",
      store.purchasesLast90d >= 6,
      store.inventoryDays <= 30,
      store.competitorNewSkus <= 3,
      visit.gpsVerified,
      visit.photoCount >= 1,
    ];
    const r = evaluate(store, visit);
    expect(r.output).toEqual({ eligible: checks.every(Boolean) });
    const rule = (r.trace!.rules as RuleTrace[])[0]!;
    const leaves = (rule.condition as Extract<ConditionTrace, { children: ConditionTrace[] }>).children;
    expect(leaves.map((l) => l.passed)).toEqual(checks);
  });

  it("applies only in Q1 2026 (Asia/Shanghai)", () => {
    expect(evaluate(eligibleStore, verifiedVisit, "2026-01-01T00:00:00+08:00").output).toEqual({ eligible: true });
    expect(evaluate(eligibleStore, verifiedVisit, "2026-03-31T23:59:59+08:00").output).toEqual({ eligible: true });
    expect(() => evaluate(eligibleStore, verifiedVisit, "2026-04-01T00:00:00+08:00")).toThrow(NoEffectiveVersionError);
    expect(() => evaluate(eligibleStore, verifiedVisit, "2025-12-31T15:59:59Z")).toThrow(NoEffectiveVersionError);
  });

  it("declares its facts, so a typo in a new rule is refused at load time", () => {
    const typo = structuredClone(doc("fmcg-display-precheck"));
    (typo["rules"] as { when?: unknown }[])[0]!.when = { fact: "stroe.tier", op: "in", value: ["A"] };
    expect(() => compileDefinition(typo)).toThrow(/unknown fact "stroe.tier"/);
  });
});
