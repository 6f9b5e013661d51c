import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  EvaluationError,
  ValidationError,
  compileCondition,
  type Condition,
  type ConditionTrace,
} from "../src/index.js";
import { CONDITION_OPERATORS, type ConditionOperator } from "../src/entries/rules.js";
import { isoWithOffset, ruleflowError } from "./helpers.js";

const AT = "2026-03-01T00:00:00+08:00";
const AT_MS = Date.parse(AT);
const DAY_MS = 86_400_000;

function check(op: ConditionOperator, actual: unknown, value?: unknown): boolean {
  const leaf: Condition = value === undefined ? { fact: "x", op } : { fact: "x", op, value };
  const c = compileCondition(leaf);
  const facts = actual === undefined ? {} : { x: actual };
  const passed = c.test(facts, { at: AT });
  expect(c.explain(facts, { at: AT }).passed, `${op} explain agrees with test`).toBe(passed);
  return passed;
}

/** `"error"`: the pair can never be compared (a non-numeric string against a number), an EvaluationError. */
type Case = [actual: unknown, value: unknown, expected: boolean | "error"];

/** Pass and fail cases for every operator; the keys must cover CONDITION_OPERATORS. */
const operatorCases: Record<ConditionOperator, Case[]> = {
  eq: [
    [5, 5, true],
    [5, 6, false],
    ["A", "A", true],
    ["A", "a", false],
    [5, "5", true],
    [5, "5.00", true],
    ["5", "5.00", false],
    [true, true, true],
    [[1, { a: 2 }], [1, { a: 2 }], true],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    ["2026-01-01T08:00:00+08:00", "2026-01-01T00:00:00Z", true],
    [null, null, true],
    [undefined, null, true],
    [undefined, 0, false],
  ],
  ne: [
    [5, 6, true],
    [5, 5, false],
    ["2026-01-01T08:00:00+08:00", "2026-01-01T00:00:00Z", false],
    [undefined, 1, true],
    [undefined, null, false],
  ],
  gt: [
    [6, 5, true],
    [5, 5, false],
    ["b", "a", true],
    ["2026-01-01T09:00:00+08:00", "2026-01-01T00:30:00Z", true],
    ["6", 5, true],
    ["5.000000000000000001", 5, true],
    ["10", "9", true],
    ["six", 5, "error"],
    [undefined, 5, false],
    [null, 0, false],
  ],
  gte: [
    [5, 5, true],
    [4, 5, false],
    ["2026-01-01T08:00:00+08:00", "2026-01-01T00:00:00Z", true],
    [undefined, 0, false],
  ],
  lt: [
    [4, 5, true],
    [5, 5, false],
    ["A", "2026-01-01", "error"],
    [undefined, 5, false],
  ],
  lte: [
    [5, 5, true],
    [6, 5, false],
    [true, 5, "error"],
  ],
  in: [
    ["A", ["A", "B"], true],
    ["C", ["A", "B"], false],
    [1, ["1"], true],
    [1, ["one"], false],
    [{ k: 1 }, [{ k: 1 }], true],
    [undefined, ["A"], false],
    [undefined, [null], true],
    ["2026-01-01T08:00:00+08:00", ["2026-01-01T00:00:00Z"], true],
  ],
  notIn: [
    ["C", ["A", "B"], true],
    ["A", ["A", "B"], false],
    [undefined, ["A"], true],
  ],
  contains: [
    ["hello world", "world", true],
    ["hello", "x", false],
    [["a", "b"], "b", true],
    [["a", "b"], "c", false],
    [[{ sku: 1 }], { sku: 1 }, true],
    [undefined, "a", false],
    [42, "4", false],
    ["abc", 1, false],
  ],
  notContains: [
    ["hello", "x", true],
    ["hello", "ell", false],
    [["a"], "a", false],
    [undefined, "a", true],
  ],
  between: [
    [5, [1, 10], true],
    [1, [1, 10], true],
    [10, [1, 10], true],
    [0, [1, 10], false],
    [11, [1, 10], false],
    ["2026-01-15T12:00:00+08:00", ["2026-01-01", "2026-02-01"], true],
    ["2026-02-01T07:59:59+08:00", ["2026-01-01", "2026-01-31T23:59:59Z"], true],
    ["2026-02-01T08:00:00+08:00", ["2026-01-01", "2026-01-31T23:59:59Z"], false],
    [undefined, [1, 10], false],
    ["5", [1, 10], true],
    ["five", [1, 10], "error"],
  ],
  exists: [
    [0, undefined, true],
    ["", true, true],
    [false, true, true],
    [null, undefined, false],
    [undefined, true, false],
    [undefined, false, true],
    [null, false, true],
    [0, false, false],
  ],
  startsWith: [
    ["SO-123", "SO-", true],
    ["PO-123", "SO-", false],
    [123, "1", false],
    [undefined, "S", false],
  ],
  endsWith: [
    ["report.pdf", ".pdf", true],
    ["report.doc", ".pdf", false],
    [undefined, ".pdf", false],
  ],
  before: [
    ["2026-01-01T07:59:59+08:00", "2026-01-01T00:00:00Z", true],
    ["2026-01-01T08:00:00+08:00", "2026-01-01T00:00:00Z", false],
    ["2025-12-31", "2026-01-01", true],
    ["not a date", "2026-01-01", "error"],
    [undefined, "2026-01-01", false],
  ],
  after: [
    ["2026-01-01T08:00:01+08:00", "2026-01-01T00:00:00Z", true],
    ["2026-01-01T08:00:00+08:00", "2026-01-01T00:00:00Z", false],
    ["zzz", "2026-01-01", "error"],
  ],
  withinLast: [
    [isoWithOffset(AT_MS - 3 * DAY_MS, 480), "P7D", true],
    [isoWithOffset(AT_MS - 7 * DAY_MS, -300), "P7D", true],
    [isoWithOffset(AT_MS - 7 * DAY_MS - 1000, 0), "P7D", false],
    [isoWithOffset(AT_MS + 1000, 0), "P7D", false],
    [isoWithOffset(AT_MS - 2 * 3_600_000, 0), "PT3H", true],
    [isoWithOffset(AT_MS - 4 * 3_600_000, 0), "PT3H", false],
    [new Date(Date.UTC(2026, 0, 29, 16)).toISOString(), "P1M", true],
    // one calendar month before 2026-02-28T16:00Z (UTC) is 2026-01-28T16:00Z, inclusive
    [new Date(Date.UTC(2026, 0, 28, 16)).toISOString(), "P1M", true],
    [new Date(Date.UTC(2026, 0, 28, 15, 59, 59)).toISOString(), "P1M", false],
    [undefined, "P7D", false],
    ["yesterday", "P7D", "error"],
  ],
};

describe("operators", () => {
  it("has cases for every operator", () => {
    expect(Object.keys(operatorCases).sort()).toEqual([...CONDITION_OPERATORS].sort());
  });

  for (const op of CONDITION_OPERATORS) {
    it(`${op} passes and fails as documented`, () => {
      for (const [actual, value, expected] of operatorCases[op]) {
        const what = `${JSON.stringify(actual)} ${op} ${JSON.stringify(value)}`;
        if (expected === "error") expect(() => check(op, actual, value), what).toThrow(EvaluationError);
        else expect(check(op, actual, value), what).toBe(expected);
      }
    });
  }

  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true })], { seed: 5, numRuns: 100 })(
    "numeric comparisons agree with JavaScript",
    (x, v) => {
      expect(check("gt", x, v)).toBe(x > v);
      expect(check("gte", x, v)).toBe(x >= v);
      expect(check("lt", x, v)).toBe(x < v);
      expect(check("lte", x, v)).toBe(x <= v);
      expect(check("eq", x, v)).toBe(x === v);
      expect(check("ne", x, v)).toBe(x !== v);
    },
  );

  test.prop([fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })], { seed: 6, numRuns: 100 })(
    "between is inclusive at both ends",
    (x, a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(check("between", x, [lo, hi])).toBe(lo <= x && x <= hi);
    },
  );

  test.prop([fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1, max: 400 }), fc.constantFrom(-300, 0, 480)], { seed: 8, numRuns: 100 })(
    "withinLast covers [at - duration, at]",
    (offsetSeconds, days, tz) => {
      const t = AT_MS - offsetSeconds * 1000 * 60;
      expect(check("withinLast", isoWithOffset(t, tz), `P${days}D`)).toBe(t <= AT_MS && t >= AT_MS - days * DAY_MS);
    },
  );
});

describe("values that reference another fact", () => {
  it("compares with the referenced fact's value", () => {
    const c = compileCondition({ fact: "order.amount", op: "lte", value: { fact: "customer.creditLimit" } });
    expect(c.test({ order: { amount: 100 }, customer: { creditLimit: 100 } })).toBe(true);
    expect(c.test({ order: { amount: 101 }, customer: { creditLimit: 100 } })).toBe(false);
    expect(c.test({ order: { amount: 1 } })).toBe(false);
  });

  it("works for list and date operators too", () => {
    const inList = compileCondition({ fact: "store.tier", op: "in", value: { fact: "promo.tiers" } });
    expect(inList.test({ store: { tier: "B" }, promo: { tiers: ["A", "B"] } })).toBe(true);
    expect(inList.test({ store: { tier: "B" }, promo: { tiers: "B" } })).toBe(false);
    const before = compileCondition({ fact: "order.shippedAt", op: "before", value: { fact: "order.promisedAt" } });
    expect(before.test({ order: { shippedAt: "2026-01-02T09:00:00+08:00", promisedAt: "2026-01-02T02:00:00Z" } })).toBe(true);
  });

  it("shows the referenced path and value in the trace", () => {
    const c = compileCondition({ fact: "a", op: "eq", value: { fact: "b.c" } });
    const t = c.explain({ a: 3, b: { c: 4 } }).trace;
    expect(t).toMatchObject({ type: "fact", fact: "a", actual: 3, expected: 4, expectedFact: "b.c", passed: false });
  });
});

describe("explain()", () => {
  const condition: Condition = {
    all: [
      { fact: "order.amount", op: "gte", value: 50000, label: "big order" },
      { fact: "customer.segment", op: "eq", value: "new" },
      {
        any: [
          { fact: "store.tier", op: "in", value: ["A", "B"] },
          { expr: "store.purchasesLast90d >= 6", label: "regular buyer" },
        ],
      },
      { not: { fact: "customer.blacklisted", op: "eq", value: true } },
    ],
    label: "eligible",
  };
  const compiled = compileCondition(condition);

  it("traces every node with its path, label, actual and expected values", () => {
    const facts = { order: { amount: 60000 }, customer: { segment: "new", blacklisted: false }, store: { tier: "C", purchasesLast90d: 7 } };
    const r = compiled.explain(facts, { at: AT });
    expect(r.passed).toBe(true);
    expect(r.trace).toEqual({
      type: "all",
      path: "(root)",
      label: "eligible",
      passed: true,
      children: [
        { type: "fact", path: "all[0]", label: "big order", fact: "order.amount", op: "gte", actual: 60000, expected: 50000, passed: true },
        { type: "fact", path: "all[1]", fact: "customer.segment", op: "eq", actual: "new", expected: "new", passed: true },
        {
          type: "any",
          path: "all[2]",
          passed: true,
          children: [
            { type: "fact", path: "all[2].any[0]", fact: "store.tier", op: "in", actual: "C", expected: ["A", "B"], passed: false },
            {
              type: "expr",
              path: "all[2].any[1]",
              label: "regular buyer",
              expr: "store.purchasesLast90d >= 6",
              actual: true,
              facts: { "store.purchasesLast90d": 7 },
              passed: true,
            },
          ],
        },
        {
          type: "not",
          path: "all[3]",
          passed: true,
          child: { type: "fact", path: "all[3].not", fact: "customer.blacklisted", op: "eq", actual: false, expected: true, passed: false },
        },
      ],
    });
  });

  it("marks missing facts and evaluates every node even after a failure", () => {
    const r = compiled.explain({ order: { amount: 10 } }, { at: AT });
    expect(r.passed).toBe(false);
    const trace = r.trace as Extract<ConditionTrace, { children: ConditionTrace[] }>;
    expect(trace.children).toHaveLength(4);
    expect(trace.children[0]).toMatchObject({ actual: 10, passed: false });
    expect(trace.children[0]).not.toHaveProperty("missing");
    expect(trace.children[1]).toMatchObject({ fact: "customer.segment", actual: null, missing: true, expected: "new", passed: false });
    const any = trace.children[2] as Extract<ConditionTrace, { children: ConditionTrace[] }>;
    expect(any.children[1]).toMatchObject({ type: "expr", actual: false, facts: { "store.purchasesLast90d": null }, passed: false });
    expect(trace.children[3]).toMatchObject({ type: "not", passed: true, child: { missing: true, passed: false } });
  });

  test.prop(
    [
      fc.record(
        {
          order: fc.record({ amount: fc.integer({ min: 0, max: 100_000 }) }, { requiredKeys: [] }),
          customer: fc.record({ segment: fc.constantFrom("new", "old"), blacklisted: fc.boolean() }, { requiredKeys: [] }),
          store: fc.record({ tier: fc.constantFrom("A", "B", "C"), purchasesLast90d: fc.integer({ min: 0, max: 10 }) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
    ],
    { seed: 9, numRuns: 300 },
  )("test() always agrees with explain().passed and with the trace's root", (facts) => {
    const passed = compiled.test(facts, { at: AT });
    const r = compiled.explain(facts, { at: AT });
    expect(r.passed).toBe(passed);
    expect(r.trace.passed).toBe(passed);
    const expected =
      (facts.order?.amount ?? -1) >= 50000 &&
      facts.customer?.segment === "new" &&
      (["A", "B"].includes(facts.store?.tier ?? "") || (facts.store?.purchasesLast90d ?? -1) >= 6) &&
      facts.customer?.blacklisted !== true;
    expect(passed).toBe(expected);
  });

  it("uses at as now for expression leaves and withinLast", () => {
    const c = compileCondition({
      all: [
        { expr: "daysBetween(lead.createdAt, now) <= 3" },
        { fact: "lead.createdAt", op: "withinLast", value: "P3D" },
      ],
    });
    const facts = { lead: { createdAt: "2026-02-26T12:00:00+08:00" } };
    expect(c.test(facts, { at: "2026-02-28T12:00:00+08:00" })).toBe(true);
    expect(c.test(facts, { at: "2026-03-05T12:00:00+08:00" })).toBe(false);
  });
});

describe("compile errors", () => {
  it("collects every problem with its path", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () =>
      compileCondition({
        all: [
          { fact: "a", op: "between", value: [5, 1] },
          { fact: "a.__proto__", op: "eq", value: 1 },
          { any: [{ expr: "foo(" }, { expr: "bogus(1)" }] },
          { not: { fact: "b", op: "in", value: 3 } },
          { fact: "c", op: "withinLast", value: "7 days" },
          { fact: "d..e", op: "exists" },
          { fact: "f", op: "eq" },
          { fact: "g", op: "before", value: "someday" },
          { fact: "h", op: "startsWith", value: 1 },
          { fact: "i", op: "gt", value: [1] },
          { fact: "j", op: "exists", value: "yes" },
          { fact: "k", op: "eq", value: { fact: "constructor.x" } },
        ],
      }),
    );
    expect(e).toBeInstanceOf(ValidationError);
    const byPath = new Map(e.issues.map((i) => [i.path.join("."), i]));
    expect([...byPath.keys()]).toEqual([
      "all.0.value",
      "all.1.fact",
      "all.2.any.0.expr",
      "all.2.any.1.expr",
      "all.3.not.value",
      "all.4.value",
      "all.5.fact",
      "all.6.value",
      "all.7.value",
      "all.8.value",
      "all.9.value",
      "all.10.value",
      "all.11.value.fact",
    ]);
    expect(byPath.get("all.2.any.1.expr")!.message).toContain('unknown function "bogus"');
    expect(byPath.get("all.3.not.value")!.message).toContain('"in" expects an array');
    expect(byPath.get("all.4.value")!.message).toContain("ISO-8601 duration");
    expect(e.message).toContain("all[3].not.value");
  });

  it("checks facts against knownFacts", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () =>
      compileCondition(
        { all: [{ fact: "order.amount", op: "gt", value: 1 }, { fact: "custmer.tier", op: "eq", value: "A" }, { expr: "zzz > 1" }, { fact: "order.x", op: "eq", value: { fact: "nope" } }] },
        { knownFacts: ["order", "customer.tier"] },
      ),
    );
    expect(e.issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["unknown_fact", "all.1.fact"],
      ["invalid_expression", "all.2.expr"],
      ["unknown_fact", "all.3.value.fact"],
    ]);
  });

  it("reports evaluation errors of expression leaves with the leaf's path", () => {
    const c = compileCondition({ all: [{ fact: "a", op: "exists" }, { any: [{ expr: "a / b > 1" }] }] });
    const e = ruleflowError<EvaluationError>("EVALUATION_ERROR", () => c.test({ a: 1, b: 0 }));
    expect(e.message).toContain("all[1].any[0]");
    expect(e.message).toContain("division by zero");
    expect(() => c.explain({ a: 1, b: 0 })).toThrow(EvaluationError);
  });

  it("treats empty all as true and empty any as false", () => {
    expect(compileCondition({ all: [] }).test({})).toBe(true);
    expect(compileCondition({ any: [] }).test({})).toBe(false);
    expect(compileCondition({ not: { any: [] } }).explain({}).passed).toBe(true);
  });
});

describe("fact paths", () => {
  it("refuse bracket notation, which would silently never match, and read array items as a.b.0", () => {
    expect(() => compileCondition({ fact: "order.lines[0].sku", op: "eq", value: "A" })).toThrow(/write array items as a\.b\.0/);
    expect(compileCondition({ fact: "order.lines.0.sku", op: "eq", value: "A" }).test({ order: { lines: [{ sku: "A" }] } })).toBe(true);
  });
});
