import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  DecisionError,
  EvaluationError,
  ValidationError,
  compileDecisionTable,
  isRuleflowError,
  type DecisionResult,
  type DecisionTableDefinition,
  type RowTrace,
} from "../src/index.js";
import { ruleflowError, thrown } from "./helpers.js";

type Table = Omit<DecisionTableDefinition, "kind">;
type Row = Table["rules"][number];

const AT = "2026-03-01T00:00:00+08:00";

function table(rules: Row[], extra: Partial<Table> = {}): Table {
  return {
    id: "t",
    version: 1,
    inputs: [{ id: "x", expr: "x" }],
    outputs: [{ id: "y", type: "number" }],
    ...extra,
    rules,
  };
}

describe("inputs and outputs", () => {
  it("evaluates input expressions and returns typed outputs", () => {
    const t = compileDecisionTable(
      table(
        [
          { id: "big-a", tier: '"A"', amount: ">= 1000", rate: "0.10", label: "gold", flag: true, due: "2026-04-01", extra: { k: [1] } },
          { tier: "-", amount: "-", rate: 0.05, label: "base", flag: false, due: null, extra: null },
        ],
        {
          hitPolicy: "first",
          inputs: [
            { id: "tier", expr: "upper(customer.tier)" },
            { id: "amount", expr: "sum(order.lines, l => l.qty * l.price)" },
          ],
          outputs: [
            { id: "rate", type: "decimal" },
            { id: "label" },
            { id: "flag", type: "boolean" },
            { id: "due", type: "date" },
            { id: "extra", type: "json" },
          ],
        },
      ),
    );
    const facts = { customer: { tier: "a" }, order: { lines: [{ qty: 3, price: 200 }, { qty: 2, price: 200 }] } };
    const r = t.evaluate(facts, { at: AT });
    expect(r.output).toEqual({ rate: "0.10", label: "gold", flag: true, due: "2026-04-01", extra: { k: [1] } });
    expect(r.matched).toEqual([{ index: 0, id: "big-a", output: r.output }]);
    expect(r).toMatchObject({ kind: "decision-table", id: "t", version: 1, hitPolicy: "first", at: new Date(AT).toISOString() });
    const small = t.evaluate({ customer: { tier: "a" }, order: { lines: [] } }, { at: AT });
    expect(small.output).toEqual({ rate: "0.05", label: "base", flag: false, due: null, extra: null });
    expect(small.matched[0]!.id).toBe("row-2");
  });

  it("computes { expr } outputs and checks their type at evaluation", () => {
    const t = compileDecisionTable(
      table([{ x: "-", y: { expr: "x * 2" }, d: { expr: "string(x)" } }], { hitPolicy: "first", outputs: [{ id: "y", type: "number" }, { id: "d", type: "decimal" }] }),
    );
    expect(t.evaluate({ x: 21 }).output).toEqual({ y: 42, d: "21" });
    expect(t.evaluate({ x: 2.5 }).output).toEqual({ y: 5, d: "2.5" });
    const e = ruleflowError<EvaluationError>("EVALUATION_ERROR", () => t.evaluate({ x: "a" }));
    expect(e).toBeInstanceOf(EvaluationError);
    expect(e.message).toMatch(/needs two numbers|expected a number/);
  });

  it("refuses literal outputs of the wrong type, missing outputs and unknown columns, all at once", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () =>
      compileDecisionTable(
        table(
          [
            { x: "-", n: "12", d: "1,5", b: "yes", dt: "soon" },
            { x: "-", n: 1, d: "1.5", b: true, dt: "2026-01-01", typo: 1 },
            { x: "-", n: 1, d: "1.5", b: true },
            { id: 7, x: "-", n: 1, d: "1.5", b: true, dt: null },
          ],
          {
            outputs: [
              { id: "n", type: "number" },
              { id: "d", type: "decimal" },
              { id: "b", type: "boolean" },
              { id: "dt", type: "date" },
            ],
          },
        ),
      ),
    );
    expect(e.issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["invalid_output", "rules.0.n"],
      ["invalid_output", "rules.0.d"],
      ["invalid_output", "rules.0.b"],
      ["invalid_output", "rules.0.dt"],
      ["unknown_column", "rules.1.typo"],
      ["missing_output", "rules.2.dt"],
      ["invalid_type", "rules.3.id"],
    ]);
  });

  it("refuses duplicate and reserved column ids", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () =>
      compileDecisionTable(table([{ x: "-", y: 1 }], { inputs: [{ id: "x", expr: "x" }, { id: "x", expr: "z" }], outputs: [{ id: "y" }, { id: "y" }] })),
    );
    expect(e.issues.filter((i) => i.code === "duplicate_column").map((i) => i.path.join("."))).toEqual(["inputs.1.id", "outputs.1.id"]);
    // "__proto__" as an input id would make the trace's inputs object inherit from the facts.
    for (const id of ["__proto__", "constructor", "prototype"]) {
      const err = thrown(() => compileDecisionTable(table([{ y: 1 }], { inputs: [{ id, expr: "order" }] })));
      expect(err, id).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues).toContainEqual(expect.objectContaining({ path: ["inputs", 0, "id"] }));
    }
  });

  it("traces every row with each cell's test, actual value and result", () => {
    const t = compileDecisionTable(
      table(
        [
          { id: "low", x: "< 10", z: '"a"', y: 1 },
          { id: "mid", x: "[10..20]", z: "-", y: 2 },
          { id: "any", y: 3 },
        ],
        { hitPolicy: "ruleOrder", inputs: [{ id: "x", expr: "x" }, { id: "z", expr: "z" }] },
      ),
    );
    const r = t.evaluate({ x: 15 }, { trace: true });
    expect(r.trace!.inputs).toEqual({ x: 15, z: null });
    expect(r.trace!.rules as RowTrace[]).toEqual([
      {
        index: 0,
        id: "low",
        matched: false,
        cells: [
          { input: "x", test: "< 10", actual: 15, passed: false },
          { input: "z", test: '"a"', actual: null, passed: false },
        ],
      },
      {
        index: 1,
        id: "mid",
        matched: true,
        cells: [
          { input: "x", test: "[10..20]", actual: 15, passed: true },
          { input: "z", test: "-", actual: null, passed: true },
        ],
      },
      {
        index: 2,
        id: "any",
        matched: true,
        cells: [
          { input: "x", test: "-", actual: 15, passed: true },
          { input: "z", test: "-", actual: null, passed: true },
        ],
      },
    ]);
    expect(r.output).toEqual([{ y: 2 }, { y: 3 }]);
  });
});

describe("hit policies", () => {
  const overlapping = [
    { id: "over-10", x: "> 10", y: 1 },
    { id: "over-20", x: "> 20", y: 2 },
    { id: "exactly-0", x: "0", y: 3 },
  ];

  it("unique (the default) returns the single match and names both rules on overlap", () => {
    const t = compileDecisionTable(table(overlapping));
    expect(t.document.hitPolicy).toBe("unique");
    expect(t.evaluate({ x: 15 }).output).toEqual({ y: 1 });
    expect(t.evaluate({ x: 0 }).output).toEqual({ y: 3 });
    expect(t.evaluate({ x: 5 }).output).toBeNull();
    const e = ruleflowError<DecisionError>("DECISION_ERROR", () => t.evaluate({ x: 25 }));
    expect(e).toBeInstanceOf(DecisionError);
    expect(e.rules).toEqual(["over-10", "over-20"]);
    expect(e.definitionId).toBe("t");
    expect(e.message).toContain('"over-10" (row 1)');
    expect(e.message).toContain('"over-20" (row 2)');
  });

  it("first returns the first matching row only", () => {
    const t = compileDecisionTable(table(overlapping, { hitPolicy: "first" }));
    const r = t.evaluate({ x: 25 });
    expect(r.output).toEqual({ y: 1 });
    expect(r.matched.map((m) => m.id)).toEqual(["over-10"]);
  });

  it("priority ranks by the order of an output's allowedValues", () => {
    const t = compileDecisionTable(
      table(
        [
          { x: "> 0", y: "low" },
          { x: "> 10", y: "high" },
          { x: "> 5", y: "medium" },
        ],
        { hitPolicy: "priority", outputs: [{ id: "y", type: "string", allowedValues: ["high", "medium", "low"] }] },
      ),
    );
    expect(t.evaluate({ x: 1 }).output).toEqual({ y: "low" });
    expect(t.evaluate({ x: 7 }).output).toEqual({ y: "medium" });
    expect(t.evaluate({ x: 11 }).output).toEqual({ y: "high" });
    expect(t.evaluate({ x: 11 }).matched.map((m) => m.index)).toEqual([0, 1, 2]);
    expect(t.evaluate({ x: 0 }).output).toBeNull();
  });

  it("priority compares several ranked outputs in column order and keeps the first row on ties", () => {
    const t = compileDecisionTable(
      table(
        [
          { id: "a", x: "-", level: "L2", route: "desk", note: "a" },
          { id: "b", x: "> 1", level: "L1", route: "queue", note: "b" },
          { id: "c", x: "> 2", level: "L1", route: "desk", note: "c" },
          { id: "d", x: "> 3", level: "L1", route: "desk", note: "d" },
        ],
        {
          hitPolicy: "priority",
          outputs: [
            { id: "level", allowedValues: ["L1", "L2"] },
            { id: "route", allowedValues: ["desk", "queue"] },
            { id: "note" },
          ],
        },
      ),
    );
    expect(t.evaluate({ x: 0 }).output).toMatchObject({ note: "a" });
    expect(t.evaluate({ x: 2 }).output).toMatchObject({ note: "b" });
    expect(t.evaluate({ x: 3 }).output).toMatchObject({ note: "c" });
    expect(t.evaluate({ x: 9 }).output).toMatchObject({ note: "c" });
  });

  it("priority needs allowedValues, and every literal output must be one of them", () => {
    const missing = ruleflowError<ValidationError>("VALIDATION_ERROR", () => compileDecisionTable(table([{ x: "-", y: 1 }], { hitPolicy: "priority" })));
    expect(missing.issues.map((i) => i.code)).toEqual(["missing_priority"]);
    const notAllowed = ruleflowError<ValidationError>("VALIDATION_ERROR", () =>
      compileDecisionTable(table([{ x: "-", y: "urgent" }], { hitPolicy: "priority", outputs: [{ id: "y", allowedValues: ["high", "low"] }] })),
    );
    expect(notAllowed.issues).toEqual([expect.objectContaining({ code: "not_allowed", path: ["rules", 0, "y"] })]);
  });

  it("any accepts several matches with equal outputs and refuses differing ones", () => {
    const t = compileDecisionTable(
      table(
        [
          { id: "r1", x: "> 10", y: 1 },
          { id: "r2", x: "> 20", y: 1 },
          { id: "r3", x: "> 30", y: 2 },
        ],
        { hitPolicy: "any" },
      ),
    );
    expect(t.evaluate({ x: 25 }).output).toEqual({ y: 1 });
    expect(t.evaluate({ x: 25 }).matched).toHaveLength(2);
    expect(t.evaluate({ x: 5 }).output).toBeNull();
    const e = ruleflowError<DecisionError>("DECISION_ERROR", () => t.evaluate({ x: 35 }));
    expect(e.rules).toEqual(["r1", "r3"]);
    expect(e.message).toContain("different outputs");
  });

  it("collect returns every match in order; ruleOrder too", () => {
    for (const hitPolicy of ["collect", "ruleOrder"] as const) {
      const t = compileDecisionTable(table(overlapping, { hitPolicy }));
      expect(t.evaluate({ x: 25 }).output).toEqual([{ y: 1 }, { y: 2 }]);
      expect(t.evaluate({ x: 5 }).output).toEqual([]);
      expect(t.evaluate({ x: 25 }).hitPolicy).toBe(hitPolicy);
    }
  });
});

describe("collect with an aggregation", () => {
  const rows = (values: (string | number | null)[]): Row[] => values.map((y, i) => ({ x: `>= ${i}`, y }));

  it("sum, min, max and count over the matching rows", () => {
    const values = [5, -2, 7, null, 3];
    for (const [aggregation, expected] of [
      ["sum", 5 - 2 + 7 + 3],
      ["min", -2],
      ["max", 7],
      ["count", values.length],
    ] as const) {
      const t = compileDecisionTable(table(rows(values), { hitPolicy: "collect", aggregation }));
      const r = t.evaluate({ x: 10 });
      expect(r.output, aggregation).toEqual({ y: expected });
      expect(r.hitPolicy).toBe(`collect ${aggregation}`);
      expect(r.matched).toHaveLength(values.length);
    }
    const onlyFirstTwo = compileDecisionTable(table(rows(values), { hitPolicy: "collect", aggregation: "sum" })).evaluate({ x: 1 });
    expect(onlyFirstTwo.output).toEqual({ y: 5 - 2 });
  });

  it("gives null for sum/min/max and 0 for count when nothing matches", () => {
    for (const aggregation of ["sum", "min", "max", "count"] as const) {
      const r = compileDecisionTable(table(rows([1, 2]), { hitPolicy: "collect", aggregation })).evaluate({ x: -1 });
      expect(r.output).toEqual({ y: aggregation === "count" ? 0 : null });
    }
  });

  it("adds decimals exactly", () => {
    const t = compileDecisionTable(table(rows(["0.1", "0.2", 0.3]), { hitPolicy: "collect", aggregation: "sum", outputs: [{ id: "y", type: "decimal" }] }));
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6);
    expect(t.evaluate({ x: 5 }).output).toEqual({ y: "0.6" });
  });

  test.prop([fc.array(fc.tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 15 })], {
    seed: 51,
    numRuns: 150,
  })("decimal sum, min and max are exact for any scale", (parts) => {
    const SCALE = 6;
    const text = ([units, scale]: [bigint, number]) => {
      const neg = units < 0n;
      const digits = (neg ? -units : units).toString().padStart(scale + 1, "0");
      return `${neg ? "-" : ""}${digits.slice(0, digits.length - scale)}${scale ? `.${digits.slice(digits.length - scale)}` : ""}`;
    };
    const toUnits = (s: string): bigint => {
      const [int, frac = ""] = s.replace("-", "").split(".");
      const v = BigInt(int! + frac.padEnd(SCALE, "0"));
      return s.startsWith("-") ? -v : v;
    };
    const values = parts.map(text);
    const units = values.map(toUnits);
    const expected = {
      sum: units.reduce((a, b) => a + b, 0n),
      min: units.reduce((a, b) => (b < a ? b : a)),
      max: units.reduce((a, b) => (b > a ? b : a)),
    };
    for (const aggregation of ["sum", "min", "max"] as const) {
      const t = compileDecisionTable(table(rows(values), { hitPolicy: "collect", aggregation, outputs: [{ id: "y", type: "decimal" }] }));
      const out = (t.evaluate({ x: 100 }).output as { y: string }).y;
      expect(typeof out).toBe("string");
      expect(toUnits(out), `${aggregation} of ${values.join(", ")} = ${out}`).toBe(expected[aggregation]);
    }
  });

  it("keeps a decimal's written scale", () => {
    const t = compileDecisionTable(table([{ x: "-", y: "0.10" }], { hitPolicy: "first", outputs: [{ id: "y", type: "decimal" }] }));
    expect(t.evaluate({}).output).toEqual({ y: "0.10" });
  });

  it("validates where an aggregation may be used", () => {
    const cases: [Partial<Table>, string][] = [
      [{ hitPolicy: "first", aggregation: "sum" }, "aggregation"],
      [{ hitPolicy: "collect", aggregation: "sum", outputs: [{ id: "y", type: "number" }, { id: "z" }] }, "aggregation"],
      [{ hitPolicy: "collect", aggregation: "sum", outputs: [{ id: "y", type: "string" }] }, "outputs.0.type"],
    ];
    for (const [extra, path] of cases) {
      const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () => compileDecisionTable(table([{ x: "-", y: "1", z: "1" }], extra)));
      expect(e.issues.map((i) => i.path.join("."))).toContain(path);
      expect(e.issues.some((i) => i.code === "invalid_aggregation")).toBe(true);
    }
  });
});

describe("row index (tables of 8 rows or more)", () => {
  /** The same table, made unindexable: a guard input and a final row that never matches and has no equality cell. */
  function unindexed(t: Table): Table {
    const never: Row = { guard: "< 0" };
    for (const input of t.inputs) never[input.id] = 'not("\u0000never")';
    for (const output of t.outputs) never[output.id] = output.allowedValues?.[0] ?? (output.type === "number" ? 0 : "0");
    return {
      ...t,
      inputs: [...t.inputs, { id: "guard", expr: "1" }],
      rules: [...t.rules.map((r) => ({ ...r, guard: "-" })), never],
    };
  }

  function outcome(t: Table, facts: unknown): { output: DecisionResult["output"]; matched: number[] } | { error: string } {
    try {
      const r = compileDecisionTable(t).evaluate(facts);
      return { output: r.output, matched: r.matched.map((m) => m.index) };
    } catch (e) {
      expect(isRuleflowError(e)).toBe(true);
      return { error: (e as Error).message };
    }
  }

  const tiers = ["A", "B", "C", "D"];
  const cellArb = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...tiers).map((t) => JSON.stringify(t)) },
    { weight: 1, arbitrary: fc.constant("-") },
    { weight: 1, arbitrary: fc.subarray(tiers, { minLength: 1, maxLength: 2 }).map((ts) => ts.map((t) => JSON.stringify(t)).join(", ")) },
  );
  const rowArb = fc.record({ tier: cellArb, amount: fc.constantFrom("-", "> 100", "<= 100", "[50..150)", "1", "2"), y: fc.integer({ min: 0, max: 3 }) });
  const factsArb = fc.record(
    { customer: fc.record({ tier: fc.constantFrom(...tiers, "E", 1, true, null) }, { requiredKeys: [] }), amount: fc.constantFrom(0, 1, 2, 50, 100, 101, 149, 150, "1") },
    { requiredKeys: [] },
  );

  test.prop([fc.array(rowArb, { minLength: 8, maxLength: 20 }), fc.constantFrom("unique", "first", "any", "collect", "ruleOrder", "priority"), fc.array(factsArb, { minLength: 1, maxLength: 10 })], {
    seed: 61,
    numRuns: 150,
  })("indexed and unindexed evaluation agree for every hit policy", (rows, hitPolicy, factsList) => {
    const t: Table = {
      id: "indexed",
      version: 1,
      hitPolicy,
      inputs: [{ id: "tier", expr: "customer.tier" }, { id: "amount", expr: "amount" }],
      outputs: [{ id: "y", type: "number", ...(hitPolicy === "priority" ? { allowedValues: [3, 2, 1, 0] } : {}) }],
      rules: rows,
    };
    for (const facts of factsList) {
      expect(outcome(t, facts)).toEqual(outcome(unindexed(t), facts));
      // The trace tests every row without the index: it must find the same matches.
      if (hitPolicy !== "first") {
        const plain = outcome(t, facts);
        if ("matched" in plain) {
          const traced = compileDecisionTable(t).evaluate(facts, { trace: true });
          expect((traced.trace!.rules as RowTrace[]).filter((r) => r.matched).map((r) => r.index)).toEqual(plain.matched);
        }
      }
    }
  });

  it("falls back to the '-' rows for a value no row names, and keeps document order", () => {
    const rules: Row[] = [
      ...["A", "B", "C", "D", "E", "F"].map((k, i) => ({ id: `is-${k}`, k: JSON.stringify(k), y: i })),
      { id: "wild-1", k: "-", y: 100 },
      { id: "a-or-b", k: '"A", "B"', y: 101 },
      { id: "wild-2", k: "-", y: 102 },
    ];
    const t = compileDecisionTable(table(rules, { hitPolicy: "collect", inputs: [{ id: "k", expr: "k" }] }));
    const ids = (facts: unknown) => t.evaluate(facts).matched.map((m) => m.id);
    expect(ids({ k: "B" })).toEqual(["is-B", "wild-1", "a-or-b", "wild-2"]);
    expect(ids({ k: "F" })).toEqual(["is-F", "wild-1", "wild-2"]);
    expect(ids({ k: "Z" })).toEqual(["wild-1", "wild-2"]);
    expect(ids({})).toEqual(["wild-1", "wild-2"]);
    expect(ids({ k: { A: 1 } })).toEqual(["wild-1", "wild-2"]);
    expect(ids({ k: ["A"] })).toEqual(["wild-1", "wild-2"]);
  });

  it("matches numbers and numeric strings as numbers, and never booleans, with or without the index", () => {
    const rules: Row[] = [1, 2, 3, 4, 5, 6].map((n) => ({ k: n, y: n }));
    rules.push({ k: '"1"', y: 10 }, { k: "true", y: 20 }, { k: "-", y: 30 });
    const t = compileDecisionTable(table(rules, { hitPolicy: "collect", inputs: [{ id: "k", expr: "k" }] }));
    const ys = (k: unknown) => (t.evaluate({ k }).output as { y: number }[]).map((o) => o.y);
    // A number and a numeric string are equal when their values are (issue 9); two strings compare as text.
    expect(ys(1)).toEqual([1, 10, 30]);
    expect(ys("1")).toEqual([1, 10, 30]);
    expect(ys("1.00")).toEqual([1, 30]);
    expect(ys("6.0")).toEqual([6, 30]);
    expect(ys(true)).toEqual([20, 30]);
    expect(ys(0)).toEqual([30]);
    const small = compileDecisionTable(table(rules.slice(5), { hitPolicy: "collect", inputs: [{ id: "k", expr: "k" }] }));
    for (const k of [6, "6", "6.00", "1", 1, true]) {
      const unindexed = (small.evaluate({ k }).output as { y: number }[]).map((o) => o.y);
      expect(unindexed, String(k)).toEqual(ys(k).filter((y) => y === 6 || y >= 10));
    }
  });
});
