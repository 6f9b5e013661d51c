/**
 * Issue 9: numeric strings compare exactly as numbers, meaningless
 * comparisons are errors, comparisons that meet null are warnings,
 * non-finite results are errors, expressions have a step budget, and
 * money arithmetic in expressions is exact.
 */
import { fc, test } from "@fast-check/vitest";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  compileCondition,
  compileDecisionTable,
  compileExpression,
  compilePromotion,
  compileRuleSet,
  explainDecision,
  type DecisionResult,
  type PromotionDefinition,
} from "../src/index.js";
import { ruleflowError } from "./helpers.js";

const AT = "2026-03-01T00:00:00+08:00";
const examples = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "definitions");
const example = (name: string): unknown => JSON.parse(readFileSync(join(examples, name), "utf8"));

const ev = (source: string, facts: unknown = {}, opts: Parameters<ReturnType<typeof compileExpression>["evaluate"]>[1] = {}) =>
  compileExpression(source).evaluate(facts, { at: AT, ...opts });

describe("item 1: numeric strings compare exactly as numbers", () => {
  const facts = { order: { amount: "68000.00", isFirst: true }, customer: { segment: "new", id: "c1" } };

  it("a promotion's gt condition reads a decimal-string amount", () => {
    const p = compilePromotion(example("new-customer-double-points.promotion.json") as PromotionDefinition);
    const r = p.evaluate(facts, { at: AT });
    expect(r.failed).toEqual([]);
    expect(r.eligible).toBe(true);
    expect(r.benefits[0]).toMatchObject({ type: "points", points: 136000 });
    expect(r.warnings).toEqual([]);
  });

  it("a rule set expression and a decision table cell read it too", () => {
    const rs = compileRuleSet(example("first-order-points.ruleset.json") as never);
    expect(rs.evaluate(facts, { at: AT }).matched[0]!.id).toBe("new-customer-first-order");
    const table = compileDecisionTable({
      id: "t",
      version: 1,
      hitPolicy: "first",
      inputs: [{ id: "amount", expr: "order.amount" }],
      outputs: [{ id: "band", type: "string" }],
      rules: [
        { amount: "> 50000", band: "large" },
        { amount: "[10000..50000]", band: "medium" },
        { amount: "-", band: "small" },
      ],
    });
    expect(table.evaluate(facts, { at: AT }).output).toEqual({ band: "large" });
    expect(table.evaluate({ order: { amount: "10000.00" } }, { at: AT }).output).toEqual({ band: "medium" });
  });

  it("compares exactly, not through a float", () => {
    // Number("50000.000000000001") is 50000: a float comparison would say not greater.
    expect(ev('"50000.000000000001" > 50000')).toBe(true);
    expect(ev('"0.30000000000000001" == 0.3')).toBe(false);
    expect(ev('"0.3" == 0.3')).toBe(true);
    const c = compileCondition({ fact: "x", op: "gt", value: 50000 });
    expect(c.test({ x: "50000.000000000001" }, { at: AT })).toBe(true);
    expect(c.test({ x: "50000.00" }, { at: AT })).toBe(false);
  });

  test.prop([fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: -1e9, max: 1e9 })])(
    "a decimal string orders like the number it writes",
    (whole, cents, other) => {
      const text = `${whole < 0 ? "-" : ""}${Math.abs(whole)}.${String(cents).padStart(2, "0")}`;
      const value = whole < 0 ? whole - cents / 100 : whole + cents / 100;
      expect(ev(`x < ${other}`, { x: text })).toBe(value < other);
      expect(ev(`x >= ${other}`, { x: text })).toBe(value >= other);
    },
  );

  it("a non-numeric string, boolean or object against a number is an error naming the path", () => {
    const rs = compileRuleSet({
      id: "rs",
      version: 1,
      rules: [{ id: "big", when: { all: [{ fact: "order.amount", op: "gt", value: 50000 }] }, then: { ok: true } }],
    });
    const e = ruleflowError("EVALUATION_ERROR", () => rs.evaluate({ order: { amount: "68,000" } }, { at: AT }));
    expect(e.message).toContain("rules[0].when.all[0]");
    expect(e.message).toContain('"68,000"');
    ruleflowError("EVALUATION_ERROR", () => rs.evaluate({ order: { amount: true } }, { at: AT }));
    ruleflowError("EVALUATION_ERROR", () => rs.evaluate({ order: { amount: { v: 1 } } }, { at: AT }));
    const e2 = ruleflowError("EVALUATION_ERROR", () => ev('x > 5', { x: "five" }));
    expect(e2.message).toContain('in expression "x > 5"');
    const table = compileDecisionTable({
      id: "t",
      version: 1,
      inputs: [{ id: "amount", expr: "order.amount" }],
      outputs: [{ id: "band" }],
      rules: [{ amount: ">= 10", band: "x" }],
    });
    const e3 = ruleflowError("EVALUATION_ERROR", () => table.evaluate({ order: { amount: "ten" } }, { at: AT }));
    expect(e3.message).toContain("rules[0].amount");
  });

  it("a comparison that meets a missing value is false and reported as a warning", () => {
    const rs = compileRuleSet({
      id: "rs",
      version: 1,
      rules: [
        { id: "a", when: { all: [{ fact: "customer.segment", op: "eq", value: "new" }] }, then: { r: "a" } },
        { id: "b", when: { all: [{ fact: "customer.segment", op: "exists" }, { fact: "order.amount", op: "gt", value: 100 }] }, then: { r: "b" } },
        { id: "c", when: { expr: "health.score < 60" }, then: { r: "c" } },
        { id: "d", then: { r: "d" } },
      ],
    });
    const r = rs.evaluate({ customer: { segment: "old" }, order: {}, health: { score: null } }, { at: AT });
    expect(r.output).toEqual({ r: "d" });
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([
      ["missing_value", "rules[1].when.all[1]"],
      ["missing_value", "rules[2].when"],
    ]);
    expect(r.warnings[0]!.message).toContain("order.amount");
    const traced = rs.evaluate({ customer: { segment: "old" }, order: {}, health: { score: null } }, { at: AT, trace: true });
    expect(traced.warnings).toEqual(r.warnings);
    expect(explainDecision(traced)).toContain("order.amount is missing");
    const rule1 = traced.trace!.rules[1] as { condition: { children: { warnings?: unknown[] }[] } };
    expect(rule1.condition.children[1]!.warnings).toHaveLength(1);
  });

  it("a decision table and a promotion report missing values too", () => {
    const table = compileDecisionTable({
      id: "t",
      version: 1,
      hitPolicy: "first",
      inputs: [{ id: "amount", expr: "order.amount" }],
      outputs: [{ id: "band" }],
      rules: [
        { amount: ">= 10", band: "x" },
        { amount: "-", band: "y" },
      ],
    });
    const r = table.evaluate({ order: {} }, { at: AT });
    expect(r.output).toEqual({ band: "y" });
    expect(r.warnings).toEqual([expect.objectContaining({ code: "missing_value", path: "inputs[0]" })]);
    expect(r.warnings[0]!.message).toContain("rules[0].amount");
    const p = compilePromotion(example("new-customer-double-points.promotion.json") as PromotionDefinition);
    const pr = p.evaluate({ customer: { segment: "new" }, order: { isFirst: true } }, { at: AT });
    expect(pr.eligible).toBe(false);
    expect(pr.warnings).toEqual([expect.objectContaining({ code: "missing_value", path: "eligibility.all[2]" })]);
  });
});

describe("item 3: booleans convert to numbers", () => {
  it("number(true) is 1 and number(false) is 0", () => {
    expect(ev("number(true)")).toBe(1);
    expect(ev("number(false)")).toBe(0);
    expect(ev("number(a.ok) * 40 + number(a.paid) * 60", { a: { ok: true, paid: false } })).toBe(40);
  });
});

describe("item 5: non-finite results are errors", () => {
  it.each(["sqrt(-1)", "10 ^ 400", "pow(10, 400)", "1e308 * 10", "-1e308 - 1e308", "1e308 + 1e308", "avg([1e308, 1e308])", "sum([1e308, 1e308])"])(
    "%s",
    (source) => {
      const e = ruleflowError("EVALUATION_ERROR", () => ev(source));
      expect(e.message).toContain(`in expression "${source}"`);
      expect(e.message).toMatch(/finite/);
    },
  );

  it("a decision output computed from a non-finite value is an error, not null", () => {
    const rs = compileRuleSet({ id: "rs", version: 1, rules: [{ id: "a", then: { x: { expr: "sqrt(score)" } } }] });
    ruleflowError("EVALUATION_ERROR", () => rs.evaluate({ score: -4 }, { at: AT }));
  });
});

describe("item 14: a step budget per evaluation", () => {
  const xs = Array.from({ length: 30 }, (_, i) => i);
  const bomb = "sum(xs, a => sum(xs, b => sum(xs, c => sum(xs, d => sum(xs, e => e)))))";

  it("the nested sum stops quickly with an error naming the expression", () => {
    const started = performance.now();
    const e = ruleflowError("EVALUATION_ERROR", () => ev(bomb, { xs }));
    // Unbounded it runs 24M steps (over half a second on an idle machine); the budget stops it at 1M.
    expect(performance.now() - started).toBeLessThan(1500);
    expect(e.message).toContain("step budget");
    expect(e.message).toContain(bomb);
  });

  it("is configurable on evaluate and on compile", () => {
    const small = "sum(xs, a => sum(xs, b => a * b))";
    expect(ev(small, { xs })).toBe(189225);
    ruleflowError("EVALUATION_ERROR", () => ev(small, { xs }, { maxSteps: 100 }));
    const e = compileExpression(small, { maxSteps: 100 });
    ruleflowError("EVALUATION_ERROR", () => e.evaluate({ xs }, { at: AT }));
    expect(e.evaluate({ xs }, { at: AT, maxSteps: 10_000 })).toBe(189225);
    expect(ev(bomb, { xs: [1, 2] }, { maxSteps: 1000 })).toBe(48);
    ruleflowError("EVALUATION_ERROR", () => ev("1", {}, { maxSteps: 0 }));
  });

  it("is shared by every expression of one rule set evaluation", () => {
    const rs = compileRuleSet({
      id: "rs",
      version: 1,
      hitPolicy: "collect",
      rules: [
        { id: "a", when: { expr: "count(xs, x => x > 0) > 0" }, then: { n: 1 } },
        { id: "b", when: { expr: "count(xs, x => x > 0) > 0" }, then: { n: 2 } },
      ],
    });
    expect(rs.evaluate({ xs }, { at: AT, maxSteps: 150 }).matched).toHaveLength(2);
    const e = ruleflowError("EVALUATION_ERROR", () => rs.evaluate({ xs }, { at: AT, maxSteps: 100 }));
    expect(e.message).toContain("rules[1].when");
  });
});

describe("item 23: exact money in expressions", () => {
  it("allocate splits exactly by largest remainder and sums to the amount", () => {
    expect(ev("allocate(pool, [30, 20, 50])", { pool: "1234567.89" })).toEqual(["370370.37", "246913.58", "617283.94"]);
    expect(ev("allocate(pool, [30, 20, 50])", { pool: 1234567.89 })).toEqual(["370370.37", "246913.58", "617283.94"]);
    expect(ev('allocate("100.00", [1, 1, 1])')).toEqual(["33.34", "33.33", "33.33"]);
    expect(ev('allocate("100", [1, 1, 1], 2)')).toEqual(["33.34", "33.33", "33.33"]);
    expect(ev("allocate(pool, [30, 20, 50])", {})).toBeNull();
    ruleflowError("EVALUATION_ERROR", () => ev('allocate("1.005", [1, 1], 2)'));
    ruleflowError("EVALUATION_ERROR", () => ev('allocate("1.00", [])'));
    ruleflowError("EVALUATION_ERROR", () => ev('allocate("1.00", [1, -1])'));
  });

  test.prop([fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 })])(
    "allocate's parts add up to the amount to the cent",
    (cents, weights) => {
      fc.pre(weights.some((w) => w > 0));
      const amount = `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
      const parts = ev("allocate(a, w)", { a: amount, w: weights }) as string[];
      const total = parts.reduce((t, p) => t + BigInt(p.replace(".", "")), 0n);
      expect(total).toBe(cents);
    },
  );

  it("decimal strings take part in exact arithmetic", () => {
    expect(ev("a * 0.3", { a: "1234567.89" })).toBe("370370.367");
    expect(ev("a + b", { a: "0.1", b: 0.2 })).toBe("0.3");
    expect(ev('decimal("0.1") + decimal("0.2")')).toBe("0.3");
    expect(ev("a - 0.01", { a: "100.00" })).toBe("99.99");
    expect(ev("round(a * 0.035, 2)", { a: "1234567.89" })).toBe("43209.88");
    expect(ev("a / 3", { a: "100.00" })).toBe("33.333333333333333333");
    expect(ev("a / 4", { a: "100.00" })).toBe("25.00");
    expect(ev("sum(lines, l => l.amount)", { lines: [{ amount: "0.10" }, { amount: "0.20" }, { amount: 0.3 }] })).toBe("0.60");
    expect(ev("max(lines, l => l.amount)", { lines: [{ amount: "9.50" }, { amount: "10.00" }] })).toBe("10.00");
    expect(ev("a * 2 > 100000", { a: "68000.00" })).toBe(true);
    const e = ruleflowError("EVALUATION_ERROR", () => ev("a + b", { a: "100.00", b: "8.00" }));
    expect(e.message).toContain("decimal(");
    expect(ev("concat(a, b)", { a: "86", b: "1380000" })).toBe("861380000");
    expect(ev('"A-" + code', { code: "7" })).toBe("A-7");
  });

  it("a rule set output and a decimal table column keep money exact", () => {
    const rs = compileRuleSet({
      id: "rs",
      version: 1,
      rules: [{ id: "split", then: { sales: { expr: "(allocate(pool, [30, 20, 50]))[0]" }, commission: { expr: "pool * 0.035" } } }],
    });
    expect(rs.evaluate({ pool: "1234567.89" }, { at: AT }).output).toEqual({ sales: "370370.37", commission: "43209.87615" });
    const table = compileDecisionTable({
      id: "t",
      version: 1,
      inputs: [{ id: "amount", expr: "amount" }],
      outputs: [{ id: "fee", type: "decimal" }],
      rules: [{ amount: "-", fee: { expr: "amount * 0.1" } }],
    });
    expect(table.evaluate({ amount: "0.30" }, { at: AT }).output).toEqual({ fee: "0.030" });
  });
});

describe("item 19: fact getters and explanations", () => {
  it("a throwing fact getter in a fact condition becomes an EvaluationError with the path", () => {
    const facts = {
      order: Object.defineProperty({}, "amount", {
        enumerable: true,
        get() {
          throw new TypeError("boom");
        },
      }),
    };
    const rs = compileRuleSet({ id: "rs", version: 1, rules: [{ id: "a", when: { all: [{ fact: "order.amount", op: "gt", value: 1 }] }, then: { x: 1 } }] });
    const e = ruleflowError("EVALUATION_ERROR", () => rs.evaluate(facts, { at: AT }));
    expect(e.message).toContain("rules[0].when.all[0]");
    expect(e.message).toContain("boom");
    ruleflowError("EVALUATION_ERROR", () => rs.evaluate(facts, { at: AT, trace: true }));
  });

  it("explainDecision renders cyclic and BigInt facts", () => {
    const cyclic: Record<string, unknown> = { name: "x" };
    cyclic["self"] = cyclic;
    const rs = compileRuleSet({
      id: "rs",
      version: 1,
      rules: [
        { id: "a", when: { all: [{ fact: "customer", op: "exists" }, { fact: "big", op: "eq", value: 1 }] }, then: { x: 1 } },
        { id: "b", then: { x: { expr: "customer" } } },
      ],
    });
    const r: DecisionResult = rs.evaluate({ customer: cyclic, big: 10n ** 30n }, { at: AT, trace: true });
    const text = explainDecision(r);
    expect(text).toContain("[Circular]");
    expect(text).toContain("1000000000000000000000000000000n");
  });
});

describe("item 1: near-miss hints read decimal strings too", () => {
  it("a promotion 10,000.00 short of its threshold says so", () => {
    const p = compilePromotion(example("new-customer-double-points.promotion.json") as PromotionDefinition);
    const r = p.evaluate({ customer: { segment: "new", id: "c1" }, order: { isFirst: true, amount: "40000.00" } }, { at: AT });
    expect(r.eligible).toBe(false);
    expect(r.hints).toEqual([expect.objectContaining({ fact: "order.amount", gap: 10000, direction: "more" })]);
    expect(r.nearMiss).toBe(true);
  });
});
