/**
 * Differential property tests: the compiled fast paths against small,
 * obviously-correct reference interpreters written here, on random inputs.
 * (The expression-safety property lives in expr-safety.test.ts.)
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  DecisionError,
  EvaluationError,
  ValidationError,
  compileCondition,
  compileDecisionTable,
  compileDefinition,
  formatIssue,
  isRuleflowError,
  validateDefinition,
  type Condition,
  type DecisionTableDefinition,
  type RowTrace,
} from "../src/index.js";
import { loadExampleDefinitions } from "./helpers.js";

// ---------------------------------------------------------------- decision tables

type Scalar = number | string | boolean | null;
type Atom =
  | { k: "eq"; v: Scalar; raw?: boolean }
  | { k: "cmp"; op: "<" | "<=" | ">" | ">="; v: number | string }
  | { k: "ne"; v: Scalar }
  | { k: "range"; lo: number; hi: number; lc: boolean; hc: boolean; style: number };
type CellSpec = { k: "any" } | { k: "list"; negate: boolean; atoms: Atom[] };

const lit = (v: Scalar): string => (typeof v === "string" ? JSON.stringify(v) : String(v));

function atomText(a: Atom): string {
  switch (a.k) {
    case "eq":
      return lit(a.v);
    case "cmp":
      return `${a.op} ${lit(a.v)}`;
    case "ne":
      return `!= ${lit(a.v)}`;
    case "range": {
      // style 1 writes open ends the DMN way: ]a..b[
      const open = a.lc ? "[" : a.style === 1 ? "]" : "(";
      const close = a.hc ? "]" : a.style === 1 ? "[" : ")";
      return `${open}${a.lo}..${a.hi}${close}`;
    }
  }
}

function cellValue(c: CellSpec): string | number | boolean | null {
  if (c.k === "any") return "-";
  const only = c.atoms[0]!;
  // A raw JSON string would be read as cell text, so only non-strings are written raw.
  if (!c.negate && c.atoms.length === 1 && only.k === "eq" && only.raw && typeof only.v !== "string") return only.v;
  const list = c.atoms.map(atomText).join(", ");
  return c.negate ? `not(${list})` : list;
}

/** A number, or a numeric string read as one (the generated strings are short, so floats are exact here). */
const asNumber = (x: unknown): number | undefined => (typeof x === "number" ? x : typeof x === "string" && /^-?\d+(\.\d+)?$/.test(x) ? Number(x) : undefined);

/** Reference equality: a number equals a numeric string of the same value. */
function scalarEquals(x: unknown, v: Scalar): boolean {
  if (v === null) return x === null || x === undefined;
  if (typeof v === "number" && typeof x === "string") return asNumber(x) === v;
  return x === v;
}

/** Whether the input can be ordered against a literal at all (else the evaluation is an error). */
function orderable(x: unknown, v: number | string): boolean {
  if (typeof v === "number") return asNumber(x) !== undefined;
  return typeof x === "string";
}

/** Reference semantics of one atom, written out longhand. */
function atomHolds(a: Atom, x: unknown): boolean {
  switch (a.k) {
    case "eq":
      return scalarEquals(x, a.v);
    case "ne":
      return !scalarEquals(x, a.v);
    case "cmp": {
      if (x === null || x === undefined) return false;
      const [p, q] = typeof a.v === "number" ? [asNumber(x)!, a.v] : [x as string, a.v];
      if (a.op === "<") return p < q;
      if (a.op === "<=") return p <= q;
      if (a.op === ">") return p > q;
      return p >= q;
    }
    case "range": {
      if (x === null || x === undefined) return false;
      x = asNumber(x);
      if (typeof x !== "number") return false;
      const aboveLow = a.lc ? x >= a.lo : x > a.lo;
      const belowHigh = a.hc ? x <= a.hi : x < a.hi;
      return aboveLow && belowHigh;
    }
  }
}

function cellHolds(c: CellSpec, x: unknown): boolean {
  if (c.k === "any") return true;
  let some = false;
  for (const a of c.atoms) if (atomHolds(a, x)) some = true;
  return c.negate ? !some : some;
}

const scalar: fc.Arbitrary<Scalar> = fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constantFrom("A", "B", "C"), fc.boolean(), fc.constant(null));
const atom: fc.Arbitrary<Atom> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant("eq" as const), v: scalar, raw: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant("cmp" as const),
      op: fc.constantFrom("<" as const, "<=" as const, ">" as const, ">=" as const),
      v: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constantFrom("A", "B", "C")),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("ne" as const), v: scalar }) },
  {
    weight: 2,
    arbitrary: fc
      .record({ a: fc.integer({ min: -2, max: 3 }), b: fc.integer({ min: -2, max: 3 }), lc: fc.boolean(), hc: fc.boolean(), style: fc.integer({ min: 0, max: 1 }) })
      .map(({ a, b, lc, hc, style }) => ({ k: "range" as const, lo: Math.min(a, b), hi: Math.max(a, b), lc, hc, style })),
  },
);
const cellSpec: fc.Arbitrary<CellSpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ k: "any" as const }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant("list" as const), negate: fc.constant(false), atoms: fc.array(atom, { minLength: 1, maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("list" as const), negate: fc.constant(true), atoms: fc.array(atom, { minLength: 1, maxLength: 2 }) }) },
);

const HIT_POLICIES = ["unique", "first", "priority", "any", "collect", "ruleOrder"] as const;
type HitPolicy = (typeof HIT_POLICIES)[number];
type Aggregation = "sum" | "min" | "max" | "count" | undefined;

interface RowSpec {
  id: string | undefined;
  cells: CellSpec[];
  out: number;
  tag: string;
}
interface TableSpec {
  inputs: number;
  hitPolicy: HitPolicy;
  aggregation: Aggregation;
  priorityOrder: number[];
  rows: RowSpec[];
}

const tableSpec: fc.Arbitrary<TableSpec> = fc
  .record({
    inputs: fc.integer({ min: 1, max: 3 }),
    hitPolicy: fc.constantFrom(...HIT_POLICIES),
    aggregation: fc.constantFrom<Aggregation>(undefined, "sum", "min", "max", "count"),
    priorityOrder: fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }),
    rowCount: fc.integer({ min: 1, max: 14 }),
    named: fc.boolean(),
  })
  .chain((t) =>
    fc
      .array(
        fc.record({
          cells: fc.array(cellSpec, { minLength: t.inputs, maxLength: t.inputs }),
          out: fc.integer({ min: 0, max: 4 }),
          tag: fc.constantFrom("x", "y"),
        }),
        { minLength: t.rowCount, maxLength: t.rowCount },
      )
      .map((rows) => ({
        inputs: t.inputs,
        hitPolicy: t.hitPolicy,
        aggregation: t.hitPolicy === "collect" ? t.aggregation : undefined,
        priorityOrder: t.priorityOrder,
        rows: rows.map((r, i) => ({ ...r, id: t.named ? `rule-${String.fromCharCode(97 + i)}` : undefined })),
      })),
  );

function toDocument(spec: TableSpec): Omit<DecisionTableDefinition, "kind"> {
  const single = spec.aggregation !== undefined;
  return {
    id: "random",
    version: 1,
    hitPolicy: spec.hitPolicy,
    ...(spec.aggregation ? { aggregation: spec.aggregation } : {}),
    inputs: Array.from({ length: spec.inputs }, (_, i) => ({ id: `in${i}`, expr: `f.in${i}` })),
    outputs: [
      { id: "out", type: "number", ...(spec.hitPolicy === "priority" ? { allowedValues: spec.priorityOrder } : {}) },
      ...(single ? [] : [{ id: "tag", type: "string" as const }]),
    ],
    rules: spec.rows.map((r) => {
      const row: Record<string, string | number | boolean | null> = {};
      if (r.id) row["id"] = r.id;
      r.cells.forEach((c, i) => (row[`in${i}`] = cellValue(c)));
      row["out"] = r.out;
      if (!single) row["tag"] = r.tag;
      return row;
    }),
  };
}

type Outcome = { error: string[] } | { evaluationError: true } | { output: unknown; matched: number[] };

/** An input that meets a comparison cell it can never be ordered against makes the evaluation an error. */
function meaningless(spec: TableSpec, values: unknown[]): boolean {
  for (let c = 0; c < spec.inputs; c++) {
    const x = values[c];
    if (x === null || x === undefined) continue;
    for (const row of spec.rows) {
      const cell = row.cells[c]!;
      if (cell.k === "any") continue;
      for (const a of cell.atoms) {
        if (a.k === "cmp" && !orderable(x, a.v)) return true;
        if (a.k === "range" && !orderable(x, a.lo)) return true;
      }
    }
  }
  return false;
}

/** The reference evaluator: simple loops over the specification. */
function reference(spec: TableSpec, values: unknown[]): Outcome {
  if (meaningless(spec, values)) return { evaluationError: true };
  const single = spec.aggregation !== undefined;
  const outputOf = (r: RowSpec) => (single ? { out: r.out } : { out: r.out, tag: r.tag });
  const idOf = (i: number) => spec.rows[i]!.id ?? `row-${i + 1}`;
  const matches: number[] = [];
  for (let i = 0; i < spec.rows.length; i++) {
    let all = true;
    for (let c = 0; c < spec.inputs; c++) if (!cellHolds(spec.rows[i]!.cells[c]!, values[c])) all = false;
    if (all) matches.push(i);
  }
  const row = (i: number) => spec.rows[i]!;
  switch (spec.hitPolicy) {
    case "unique":
      if (matches.length > 1) return { error: matches.map(idOf) };
      return { output: matches.length ? outputOf(row(matches[0]!)) : null, matched: matches };
    case "first":
      return { output: matches.length ? outputOf(row(matches[0]!)) : null, matched: matches.slice(0, 1) };
    case "priority": {
      let best = -1;
      for (const i of matches) {
        if (best < 0 || spec.priorityOrder.indexOf(row(i).out) < spec.priorityOrder.indexOf(row(best).out)) best = i;
      }
      return { output: best < 0 ? null : outputOf(row(best)), matched: matches };
    }
    case "any": {
      for (const i of matches.slice(1)) {
        const a = row(matches[0]!);
        const b = row(i);
        if (a.out !== b.out || (!single && a.tag !== b.tag)) return { error: [idOf(matches[0]!), idOf(i)] };
      }
      return { output: matches.length ? outputOf(row(matches[0]!)) : null, matched: matches };
    }
    case "collect": {
      const outs = matches.map((i) => row(i).out);
      if (spec.aggregation === "count") return { output: { out: outs.length }, matched: matches };
      if (spec.aggregation === "sum") return { output: { out: outs.length ? outs.reduce((s, x) => s + x, 0) : null }, matched: matches };
      if (spec.aggregation === "min") return { output: { out: outs.length ? Math.min(...outs) : null }, matched: matches };
      if (spec.aggregation === "max") return { output: { out: outs.length ? Math.max(...outs) : null }, matched: matches };
      return { output: matches.map((i) => outputOf(row(i))), matched: matches };
    }
    case "ruleOrder":
      return { output: matches.map((i) => outputOf(row(i))), matched: matches };
  }
}

function actual(table: ReturnType<typeof compileDecisionTable>, facts: unknown, trace = false): Outcome {
  try {
    const r = table.evaluate(facts, { trace });
    return { output: r.output, matched: r.matched.map((m) => m.index) };
  } catch (e) {
    if (e instanceof EvaluationError) return { evaluationError: true };
    if (!(e instanceof DecisionError)) throw e;
    return { error: e.rules };
  }
}

const inputValue: fc.Arbitrary<unknown> = fc.oneof(scalar, fc.constant(undefined), fc.constantFrom("a", 2.5, "1"));
const factsFor = (n: number) =>
  fc.array(fc.array(inputValue, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 8 });

function factsOf(values: unknown[]): unknown {
  const f: Record<string, unknown> = {};
  values.forEach((v, i) => {
    if (v !== undefined) f[`in${i}`] = v;
  });
  return { f };
}

describe("decision tables against a reference evaluator", () => {
  test.prop([tableSpec.chain((spec) => fc.tuple(fc.constant(spec), factsFor(spec.inputs)))], { seed: 20260301, numRuns: 300 })(
    "agree on output, matched rows and errors for every hit policy",
    ([spec, valueSets]) => {
      const table = compileDecisionTable(toDocument(spec));
      for (const values of valueSets) {
        const expected = reference(spec, values);
        expect(actual(table, factsOf(values)), JSON.stringify({ doc: toDocument(spec), values })).toEqual(expected);
        expect(actual(table, factsOf(values), true)).toEqual(expected);
      }
    },
  );

  test.prop(
    [
      tableSpec
        .map((s) => ({ ...s, hitPolicy: "first" as const, aggregation: undefined }))
        .chain((spec) => fc.tuple(fc.constant(spec), factsFor(spec.inputs))),
    ],
    { seed: 7, numRuns: 300 },
  )("first returns the first matching row, the one the trace marks first", ([spec, valueSets]) => {
    const table = compileDecisionTable(toDocument(spec));
    for (const values of valueSets) {
      const facts = factsOf(values);
      if (meaningless(spec, values)) {
        expect(() => table.evaluate(facts, { trace: true })).toThrow(EvaluationError);
        continue;
      }
      const firstMatch = spec.rows.findIndex((r) => r.cells.every((c, i) => cellHolds(c, values[i])));
      const r = table.evaluate(facts, { trace: true });
      const rows = r.trace!.rules as RowTrace[];
      expect(rows.findIndex((t) => t.matched)).toBe(firstMatch);
      if (firstMatch < 0) {
        expect(r.output).toBeNull();
        expect(r.matched).toEqual([]);
      } else {
        const row = spec.rows[firstMatch]!;
        expect(r.matched.map((m) => m.index)).toEqual([firstMatch]);
        expect(r.output).toEqual({ out: row.out, tag: row.tag });
        expect(table.evaluate(facts).output).toEqual(r.output);
      }
    }
  });
});

// ---------------------------------------------------------------- conditions

const DAY = 86_400_000;
const NOW = Date.parse("2026-03-01T00:00:00Z");
/** The same few instants written with different offsets. */
const DATES = [
  "2026-02-27T00:00:00Z",
  "2026-02-27T08:00:00+08:00",
  "2026-02-20T12:00:00Z",
  "2026-02-20T07:00:00-05:00",
  "2026-01-01",
  "2026-03-02T00:00:00Z",
];
type Leaf = { fact: string; op: string; value?: unknown };
type Tree = { all: Tree[] } | { any: Tree[] } | { not: Tree } | { expr: string; ref: (f: Facts) => boolean } | Leaf;
type Facts = Record<string, unknown>;

const FACT_NAMES = ["a", "b", "c", "d", "s"];
const factValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -2, max: 3 }),
  fc.constantFrom("A", "B", "ab", "", ...DATES),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constantFrom("A", "B")), { maxLength: 3 }),
);
const factsArb: fc.Arbitrary<Facts> = fc.dictionary(fc.constantFrom(...FACT_NAMES), factValue, { maxKeys: 5 });

const num = fc.integer({ min: -2, max: 3 });
const str = fc.constantFrom("A", "B", "ab", "a");
const leafArb: fc.Arbitrary<Leaf> = fc.oneof(
  fc.record({ fact: fc.constantFrom(...FACT_NAMES), op: fc.constantFrom("eq", "ne", "contains", "notContains"), value: factValue }),
  fc.record({ fact: fc.constantFrom(...FACT_NAMES), op: fc.constantFrom("gt", "gte", "lt", "lte"), value: fc.oneof(num, str, fc.constantFrom(...DATES)) }),
  fc.record({ fact: fc.constantFrom(...FACT_NAMES), op: fc.constantFrom("in", "notIn"), value: fc.array(factValue, { maxLength: 3 }) }),
  fc.record({
    fact: fc.constantFrom(...FACT_NAMES),
    op: fc.constant("between"),
    value: fc.oneof(
      fc.tuple(num, num).map(([x, y]) => [Math.min(x, y), Math.max(x, y)]),
      fc.tuple(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 10 })).map(([d, w]) => [new Date(NOW - (d + w) * DAY).toISOString(), new Date(NOW - d * DAY).toISOString()]),
    ),
  }),
  fc.record({ fact: fc.constantFrom(...FACT_NAMES), op: fc.constant("exists"), value: fc.constantFrom(true, false, undefined) }).map((l) =>
    l.value === undefined ? { fact: l.fact, op: l.op } : l,
  ),
  fc.record({ fact: fc.constantFrom(...FACT_NAMES), op: fc.constantFrom("startsWith", "endsWith"), value: fc.constantFrom("A", "a", "", "b") }),
  fc.record({ fact: fc.constantFrom(...FACT_NAMES), op: fc.constantFrom("before", "after"), value: fc.constantFrom(...DATES) }),
  fc.record({ fact: fc.constantFrom(...FACT_NAMES), op: fc.constant("withinLast"), value: fc.integer({ min: 1, max: 70 }).map((n) => `P${n}D`) }),
  fc.record({
    fact: fc.constantFrom(...FACT_NAMES),
    op: fc.constantFrom("eq", "ne", "gt", "lte", "in", "contains"),
    value: fc.constantFrom(...FACT_NAMES).map((f) => ({ fact: f })),
  }),
);

const exprLeaf: fc.Arbitrary<Tree> = fc.oneof(
  fc.tuple(fc.constantFrom(...FACT_NAMES), num).map(([f, n]) => ({
    expr: `${f} > ${n}`,
    ref: (facts: Facts) => {
      const o = strictOrder(facts[f], n);
      return o !== undefined && o > 0;
    },
  })),
  fc.tuple(fc.constantFrom(...FACT_NAMES), str).map(([f, s]) => ({ expr: `${f} == ${JSON.stringify(s)}`, ref: (facts: Facts) => facts[f] === s })),
  fc.constantFrom(...FACT_NAMES).map((f) => ({ expr: `${f} == null`, ref: (facts: Facts) => facts[f] === undefined || facts[f] === null })),
);

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafArb,
    exprLeaf,
    fc.array(tie("tree"), { maxLength: 4 }).map((all) => ({ all })),
    fc.array(tie("tree"), { maxLength: 4 }).map((any) => ({ any })),
    tie("tree").map((not) => ({ not })),
  ),
}));

/** Strip the reference functions to get the condition document. */
function toCondition(t: Tree): Condition {
  if ("all" in t) return { all: t.all.map(toCondition) };
  if ("any" in t) return { any: t.any.map(toCondition) };
  if ("not" in t) return { not: toCondition(t.not) };
  if ("expr" in t) return { expr: t.expr };
  return t as Condition;
}

const isDate = (v: unknown): v is string => typeof v === "string" && (DATES.includes(v) || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v));

function same(x: unknown, y: unknown): boolean {
  if (x === undefined) x = null;
  if (y === undefined) y = null;
  if (isDate(x) && isDate(y)) return Date.parse(x) === Date.parse(y);
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => same(v, y[i]));
  return x === y;
}

/** Thrown by the reference where the engine must raise an EvaluationError. */
class Meaningless extends Error {}

/** -1, 0, 1, or undefined when the two cannot be ordered. */
function order(x: unknown, y: unknown): number | undefined {
  if (typeof x === "number" && typeof y === "number") return Math.sign(x - y);
  if (typeof x === "string" && typeof y === "string") {
    if (isDate(x) && isDate(y)) return Math.sign(Date.parse(x) - Date.parse(y));
    if (isDate(x) || isDate(y)) return undefined;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof x === "boolean" && typeof y === "boolean") return Number(x) - Number(y);
  return undefined;
}

/** `order` for an ordering operator: a missing side is false (undefined), any other unordered pair an error. */
function strictOrder(x: unknown, y: unknown): number | undefined {
  const o = order(x, y);
  if (o === undefined && x !== undefined && x !== null && y !== undefined && y !== null) throw new Meaningless();
  return o;
}

/** The instant of a date operand of before/after/withinLast: missing is undefined, a non-date an error. */
function strictDate(x: unknown): number | undefined {
  if (x === undefined || x === null) return undefined;
  if (!isDate(x)) throw new Meaningless();
  return Date.parse(x);
}

function holds(t: Tree, facts: Facts): boolean {
  if ("all" in t) return t.all.every((c) => holds(c, facts));
  if ("any" in t) return t.any.some((c) => holds(c, facts));
  if ("not" in t) return !holds(t.not, facts);
  if ("expr" in t) return t.ref(facts);
  const actual = facts[t.fact];
  const isRef = typeof t.value === "object" && t.value !== null && !Array.isArray(t.value);
  const expected = isRef ? facts[(t.value as { fact: string }).fact] : t.value;
  const ordering = ["gt", "gte", "lt", "lte"].includes(t.op);
  const o = ordering ? strictOrder(actual, expected) : undefined;
  const inList = Array.isArray(expected) && expected.some((e) => same(actual, e));
  const contains = typeof actual === "string" ? typeof expected === "string" && actual.includes(expected) : Array.isArray(actual) && actual.some((a) => same(a, expected));
  switch (t.op) {
    case "eq":
      return same(actual, expected);
    case "ne":
      return !same(actual, expected);
    case "gt":
      return o !== undefined && o > 0;
    case "gte":
      return o !== undefined && o >= 0;
    case "lt":
      return o !== undefined && o < 0;
    case "lte":
      return o !== undefined && o <= 0;
    case "in":
      return inList;
    case "notIn":
      return !inList;
    case "contains":
      return contains;
    case "notContains":
      return !contains;
    case "between": {
      if (!Array.isArray(expected)) return false;
      const lo = strictOrder(actual, expected[0]);
      const hi = strictOrder(actual, expected[1]);
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case "exists":
      return expected === false ? actual === undefined || actual === null : actual !== undefined && actual !== null;
    case "startsWith":
      return typeof actual === "string" && typeof expected === "string" && actual.startsWith(expected);
    case "endsWith":
      return typeof actual === "string" && typeof expected === "string" && actual.endsWith(expected);
    case "before":
    case "after": {
      const x = strictDate(actual);
      const y = strictDate(expected);
      if (x === undefined || y === undefined) return false;
      return t.op === "before" ? x < y : x > y;
    }
    case "withinLast": {
      const t0 = strictDate(actual);
      if (t0 === undefined) return false;
      const days = Number(String(expected).slice(1, -1));
      return t0 <= NOW && t0 >= NOW - days * DAY;
    }
  }
  throw new Error(`reference does not know ${t.op}`);
}

describe("conditions against a naive interpreter", () => {
  test.prop([tree, fc.array(factsArb, { minLength: 1, maxLength: 6 })], { seed: 20260302, numRuns: 600 })(
    "test() and explain() agree with the reference on random trees and facts",
    (t, factsList) => {
      const compiled = compileCondition(toCondition(t));
      for (const facts of factsList) {
        const at = new Date(NOW).toISOString();
        let expected: boolean;
        try {
          expected = holds(t, facts);
        } catch (e) {
          if (!(e instanceof Meaningless)) throw e;
          // Both evaluate in document order and stop at the same node, so both meet the same error.
          expect(() => compiled.test(facts, { at }), JSON.stringify({ condition: toCondition(t), facts })).toThrow(EvaluationError);
          expect(() => compiled.explain(facts, { at })).toThrow(EvaluationError);
          continue;
        }
        expect(compiled.test(facts, { at }), JSON.stringify({ condition: toCondition(t), facts })).toBe(expected);
        const explained = compiled.explain(facts, { at });
        expect(explained.passed).toBe(expected);
        expect(explained.trace.passed).toBe(expected);
      }
    },
  );
});

// ---------------------------------------------------------------- malformed documents

function checkRefused(doc: unknown): void {
  let r: ReturnType<typeof validateDefinition>;
  try {
    r = validateDefinition(doc);
  } catch (e) {
    throw new Error(`validateDefinition threw ${String(e)} for ${safeJson(doc)}`, { cause: e });
  }
  let compileError: unknown;
  try {
    compileDefinition(doc);
  } catch (e) {
    compileError = e;
  }
  if (r.ok) {
    expect(compileError).toBeUndefined();
    return;
  }
  expect(r.issues.length).toBeGreaterThan(0);
  for (const issue of r.issues) {
    expect(typeof issue.code).toBe("string");
    expect(Array.isArray(issue.path)).toBe(true);
    for (const seg of issue.path) expect(["string", "number"]).toContain(typeof seg);
    expect(typeof issue.message).toBe("string");
    expect(issue.message.length).toBeGreaterThan(0);
    expect(typeof formatIssue(issue)).toBe("string");
  }
  expect(compileError).toBeInstanceOf(ValidationError);
  expect(isRuleflowError(compileError)).toBe(true);
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 500) ?? String(v);
  } catch {
    return String(v);
  }
}

type Mutation = { path: number[]; kind: "set" | "delete" | "wrap" | "rename"; value: unknown };

/** Apply a mutation to a deep copy, choosing keys by index so any document works. */
function mutate(doc: unknown, m: Mutation): unknown {
  const copy = structuredClone<unknown>(doc);
  let parent: unknown = null;
  let key: string | number | null = null;
  let cur: unknown = copy;
  for (const step of m.path) {
    if (cur === null || typeof cur !== "object") break;
    const keys = Array.isArray(cur) ? cur.map((_, i) => i) : Object.keys(cur);
    if (keys.length === 0) break;
    parent = cur;
    key = keys[step % keys.length]!;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  if (parent === null || key === null) return m.value;
  const p = parent as Record<string | number, unknown>;
  switch (m.kind) {
    case "set":
      p[key] = m.value;
      break;
    case "delete":
      if (Array.isArray(p)) p.splice(Number(key), 1);
      else delete p[key];
      break;
    case "wrap":
      p[key] = [cur];
      break;
    case "rename":
      if (!Array.isArray(p)) {
        p[`${String(key)}x`] = cur;
        delete p[key];
      } else p[key] = { [String(m.value)]: cur };
      break;
  }
  return copy;
}

const examples = [...loadExampleDefinitions().values()];
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom("", "-", ">=", "[1..", "not(", "1 +", "foo(1)", "a.constructor", "__proto__", "P3D", "2026-13-01", "eq", "bogus", -1, 0, 1.5, 1e21),
);
const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 6 }),
  kind: fc.constantFrom("set" as const, "delete" as const, "wrap" as const, "rename" as const),
  value: jsonish,
});

describe("malformed documents", () => {
  test.prop([fc.anything({ maxDepth: 3 })], { seed: 81, numRuns: 400 })("anything at all is refused with issues, never a crash", (doc) => {
    checkRefused(doc);
  });

  test.prop(
    [
      fc.record(
        { kind: fc.constantFrom("ruleset", "decision-table"), id: fc.anything({ maxDepth: 1 }), version: fc.anything({ maxDepth: 1 }), rules: fc.anything({ maxDepth: 3 }), inputs: fc.anything({ maxDepth: 2 }), outputs: fc.anything({ maxDepth: 2 }), hitPolicy: fc.anything({ maxDepth: 0 }), effective: fc.anything({ maxDepth: 1 }) },
        { requiredKeys: ["kind"] },
      ),
    ],
    { seed: 82, numRuns: 250 },
  )("documents of a known kind with random fields are refused with issues", (doc) => {
    checkRefused(doc);
  });

  test.prop([fc.constantFrom(...examples), fc.array(mutation, { minLength: 1, maxLength: 4 })], { seed: 83, numRuns: 400 })(
    "mutated valid documents are either valid or refused with issues",
    (doc, mutations) => {
      let mutated: unknown = doc;
      for (const m of mutations) mutated = mutate(mutated, m);
      checkRefused(mutated);
      const r = validateDefinition(mutated);
      if (r.ok && "evaluate" in r.definition) {
        // A mutant that still validates must evaluate or fail only with a RuleflowError.
        try {
          r.definition.evaluate({ contract: { amount: 1 }, customer: { tier: "A" }, store: {}, order: { amount: 2 } }, { at: "2026-02-01T00:00:00Z", trace: true });
        } catch (e) {
          expect(isRuleflowError(e), String(e)).toBe(true);
        }
      }
    },
  );
});
