import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  EvaluationError,
  ValidationError,
  compileDefinition,
  compileRuleSet,
  type RuleSetDefinition,
  type RuleTrace,
} from "../src/index.js";
import { ruleflowError } from "./helpers.js";

const AT = "2026-03-01T00:00:00+08:00";

type Rules = RuleSetDefinition["rules"];

function ruleset(rules: Rules, extra: Partial<Omit<RuleSetDefinition, "rules" | "kind">> = {}) {
  return compileRuleSet({ id: "rs", version: 1, ...extra, rules });
}

/** Rules "r0".."r<n-1>": rule i matches when x >= thresholds[i] and outputs { rule: i }. */
function thresholdRules(thresholds: readonly number[], priorities?: readonly number[]): Rules {
  return thresholds.map((t, i) => ({
    id: `r${i}`,
    ...(priorities ? { priority: priorities[i]! } : {}),
    when: { fact: "x", op: "gte" as const, value: t },
    then: { rule: i },
  }));
}

describe("hit policy first", () => {
  it("is the default and returns the first matching rule only", () => {
    const rs = ruleset(thresholdRules([100, 50, 0]));
    expect(rs.document.hitPolicy).toBe("first");
    const r = rs.evaluate({ x: 60 }, { at: AT });
    expect(r.output).toEqual({ rule: 1 });
    expect(r.matched).toEqual([{ index: 1, id: "r1", output: { rule: 1 } }]);
    expect(r.hitPolicy).toBe("first");
  });

  it("returns null output and no matches when nothing matches", () => {
    const r = ruleset(thresholdRules([100, 50])).evaluate({ x: 1 }, { at: AT });
    expect(r.output).toBeNull();
    expect(r.matched).toEqual([]);
  });

  it("matches a rule without when unconditionally", () => {
    const rs = ruleset([...thresholdRules([100]), { id: "otherwise", then: { rule: "fallback" } }]);
    expect(rs.evaluate({}, { at: AT }).output).toEqual({ rule: "fallback" });
    expect(rs.evaluate({ x: 100 }, { at: AT }).output).toEqual({ rule: 0 });
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: -10, max: 110 })], { seed: 31, numRuns: 200 })(
    "returns the lowest-index matching rule",
    (thresholds, x) => {
      const r = ruleset(thresholdRules(thresholds)).evaluate({ x }, { at: AT });
      const first = thresholds.findIndex((t) => x >= t);
      expect(r.output).toEqual(first < 0 ? null : { rule: first });
      expect(r.matched.map((m) => m.index)).toEqual(first < 0 ? [] : [first]);
    },
  );
});

describe("hit policy priority", () => {
  test.prop(
    [
      fc
        .array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: -3, max: 3 })), { minLength: 1, maxLength: 8 })
        .map((pairs) => ({ thresholds: pairs.map((p) => p[0]), priorities: pairs.map((p) => p[1]) })),
      fc.integer({ min: -10, max: 110 }),
    ],
    { seed: 32, numRuns: 200 },
  )("returns the matching rule with the highest priority, the earliest on ties", ({ thresholds, priorities }, x) => {
    const r = ruleset(thresholdRules(thresholds, priorities), { hitPolicy: "priority" }).evaluate({ x }, { at: AT });
    let best = -1;
    for (let i = 0; i < thresholds.length; i++) {
      if (x >= thresholds[i]! && (best < 0 || priorities[i]! > priorities[best]!)) best = i;
    }
    expect(r.output).toEqual(best < 0 ? null : { rule: best });
    expect(r.matched.map((m) => m.id)).toEqual(best < 0 ? [] : [`r${best}`]);
  });

  it("counts a rule without priority as priority 0", () => {
    const rs = ruleset(
      [
        { id: "low", priority: -1, then: { v: "low" } },
        { id: "plain", then: { v: "plain" } },
        { id: "high", priority: 1, when: { fact: "vip", op: "eq", value: true }, then: { v: "high" } },
      ],
      { hitPolicy: "priority" },
    );
    expect(rs.evaluate({}, { at: AT }).output).toEqual({ v: "plain" });
    expect(rs.evaluate({ vip: true }, { at: AT }).output).toEqual({ v: "high" });
  });

  it("needs a priority on at least one rule", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () => ruleset(thresholdRules([1, 2]), { hitPolicy: "priority" }));
    expect(e.issues).toEqual([expect.objectContaining({ code: "missing_priority", path: ["rules"] })]);
  });
});

describe("hit policy collect", () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: -10, max: 110 })], { seed: 33, numRuns: 200 })(
    "returns every matching rule in document order",
    (thresholds, x) => {
      const r = ruleset(thresholdRules(thresholds), { hitPolicy: "collect" }).evaluate({ x }, { at: AT });
      const expected = thresholds.flatMap((t, i) => (x >= t ? [i] : []));
      expect(r.output).toEqual(expected.map((i) => ({ rule: i })));
      expect(r.matched.map((m) => m.index)).toEqual(expected);
    },
  );
});

describe("outputs", () => {
  it("returns literals as written", () => {
    const then = { s: "text", n: 1.5, b: false, nothing: null, list: [1, "a"], obj: { nested: { deep: true } } };
    expect(ruleset([{ id: "r", then }]).evaluate({}, { at: AT }).output).toEqual(then);
  });

  it("computes { expr } outputs from the facts and the evaluation time", () => {
    const rs = ruleset([
      {
        id: "r",
        then: {
          points: { expr: "order.amount * 2" },
          label: { expr: 'upper(customer.segment) + "-" + string(order.amount)' },
          dueAt: { expr: "addDays(now, 30)" },
          missing: { expr: "order.nothing" },
          literal: "order.amount * 2",
        },
      },
    ]);
    const amount = 61_234;
    const r = rs.evaluate({ order: { amount }, customer: { segment: "new" } }, { at: AT });
    expect(r.output).toEqual({
      points: amount * 2,
      label: `NEW-${amount}`,
      dueAt: new Date(Date.parse(AT) + 30 * 86_400_000).toISOString(),
      missing: null,
      literal: "order.amount * 2",
    });
  });

  it("computes outputs only for rules that matched", () => {
    const rs = ruleset([
      { id: "guarded", when: { fact: "d", op: "ne", value: 0 }, then: { q: { expr: "n / d" } } },
      { id: "otherwise", then: { q: 0 } },
    ]);
    expect(rs.evaluate({ n: 1, d: 0 }, { at: AT }).output).toEqual({ q: 0 });
    expect(rs.evaluate({ n: 1, d: 4 }, { at: AT }).output).toEqual({ q: 0.25 });
  });

  it("raises an EvaluationError when a matched rule's output cannot be computed", () => {
    const rs = ruleset([{ id: "r", then: { q: { expr: 'n * "x"' } } }]);
    expect(() => rs.evaluate({ n: 1 }, { at: AT })).toThrow(EvaluationError);
  });

  it("refuses an expression output that does not compile, with its path", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () =>
      ruleset([{ id: "ok", then: { a: 1 } }, { id: "bad", then: { a: { expr: "order.amount *" } } }]),
    );
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]!.path).toEqual(["rules", 1, "then", "a", "expr"]);
  });
});

describe("result and trace", () => {
  const rs = compileRuleSet({
    id: "credit",
    version: 7,
    rules: [
      { id: "blocked", when: { fact: "customer.blocked", op: "eq", value: true }, then: { decision: "reject" } },
      {
        id: "small",
        when: { all: [{ fact: "amount", op: "lt", value: 1000, label: "small amount" }, { expr: 'rating in ["A", "B"]' }] },
        then: { decision: "approve" },
      },
      { id: "otherwise", then: { decision: "manual" } },
    ],
  });

  it("names the kind, id, version, time and hit policy", () => {
    const r = rs.evaluate({ amount: 5 }, { at: AT });
    expect(r).toMatchObject({ kind: "ruleset", id: "credit", version: 7, at: new Date(AT).toISOString(), hitPolicy: "first" });
    expect(r.trace).toBeUndefined();
  });

  it("traces every rule, even after the winner, with its condition", () => {
    const r = rs.evaluate({ amount: 5, rating: "A", customer: { blocked: false } }, { at: AT, trace: true });
    expect(r.output).toEqual({ decision: "approve" });
    const rules = r.trace!.rules as RuleTrace[];
    expect(rules.map((t) => [t.id, t.matched])).toEqual([
      ["blocked", false],
      ["small", true],
      ["otherwise", true],
    ]);
    expect(rules[0]!.condition).toMatchObject({ type: "fact", path: "rules[0].when", actual: false, expected: true, passed: false });
    expect(rules[1]!.condition).toMatchObject({
      type: "all",
      passed: true,
      children: [
        { type: "fact", path: "rules[1].when.all[0]", label: "small amount", actual: 5, passed: true },
        { type: "expr", path: "rules[1].when.all[1]", facts: { rating: "A" }, actual: true, passed: true },
      ],
    });
    expect(rules[2]!.condition).toBeUndefined();
    expect(r.matched.map((m) => m.id)).toEqual(["small"]);
  });

  test.prop([fc.record({ amount: fc.integer({ min: 0, max: 2000 }), rating: fc.constantFrom("A", "B", "C"), customer: fc.record({ blocked: fc.boolean() }) }, { requiredKeys: [] })], {
    seed: 34,
    numRuns: 200,
  })("decides the same with and without a trace", (facts) => {
    const plain = rs.evaluate(facts, { at: AT });
    const traced = rs.evaluate(facts, { at: AT, trace: true });
    expect(traced.output).toEqual(plain.output);
    expect(traced.matched).toEqual(plain.matched);
    const firstTraced = (traced.trace!.rules as RuleTrace[]).find((t) => t.matched);
    expect(firstTraced?.id).toBe(plain.matched[0]?.id);
  });
});

describe("validation", () => {
  it("refuses duplicate rule ids", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () =>
      ruleset([{ id: "a", then: {} }, { id: "b", then: {} }, { id: "a", then: {} }]),
    );
    expect(e.issues).toEqual([expect.objectContaining({ code: "duplicate_rule", path: ["rules", 2, "id"] })]);
    expect(e.issues[0]!.message).toContain("rules[0]");
  });

  it("checks conditions and outputs against the declared facts", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () =>
      compileDefinition({
        kind: "ruleset",
        id: "rs",
        version: 1,
        facts: ["order"],
        rules: [
          { id: "a", when: { fact: "customer.tier", op: "eq", value: "A" }, then: { x: { expr: "order.amount" } } },
          { id: "b", when: { expr: "order.amount > 1" }, then: { x: { expr: "customer.tier" } } },
        ],
      }),
    );
    expect(e.issues.map((i) => i.path)).toEqual([
      ["rules", 0, "when", "fact"],
      ["rules", 1, "then", "x", "expr"],
    ]);
  });

  it("accepts a document with or without kind through compileRuleSet", () => {
    const withKind = compileRuleSet({ kind: "ruleset", id: "k", version: 2, rules: [{ id: "r", then: { a: 1 } }] });
    const without = compileRuleSet({ id: "k", version: 2, rules: [{ id: "r", then: { a: 1 } }] });
    expect(withKind.evaluate({}).output).toEqual(without.evaluate({}).output);
    expect(() => compileRuleSet({ kind: "decision-table", id: "k", version: 1 } as unknown as RuleSetDefinition)).toThrow(ValidationError);
  });
});
