/**
 * Decision table cells as exact value sets. Cells are parsed by the engine's
 * own unary-test parser (decisions/unary-tests.ts); this module only reads
 * the parsed tests. The type of an input (number, date, string, boolean) is
 * read from the literals its cells test; a column that mixes types, or a cell
 * that orders plain text, is beyond the analysis.
 * @internal
 */
import { isNumericString } from "../../core/decimal.js";
import { parseUnaryTest, type UnaryTest } from "../../decisions/unary-tests.js";
import { parseInstant } from "../../expr/values.js";
import type { Reason } from "./reason.js";
import { complement, emptySet, exactOf, finiteSet, fullSet, intervalSet, union, type AxisType, type Bound, type ValueSet } from "./sets.js";

/** What the analysis knows about one cell. */
export type CellSet = { readonly kind: "set"; readonly set: ValueSet } | { readonly kind: "unknown"; readonly reason: Reason };

type AtomOf<T> = T extends { kind: "list"; tests: readonly (infer A)[] } ? A : never;
type Atom = AtomOf<UnaryTest>;

type LiteralClass = "number" | "numeric-text" | "date" | "text" | "boolean" | "null" | "other";

/** The class of a cell literal. */
export function literalClass(v: unknown): LiteralClass {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") return Number.isFinite(v) ? "number" : "other";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") {
    if (parseInstant(v) !== undefined) return "date";
    return isNumericString(v) ? "numeric-text" : "text";
  }
  return "other";
}

function atomLiterals(a: Atom): unknown[] {
  return a.kind === "range" ? [a.low, a.high] : [a.value];
}

function isOrdering(a: Atom): boolean {
  return a.kind === "range" || (a.kind === "cmp" && a.op !== "!=");
}

/** Parse a cell with the engine's parser; `undefined` when it does not parse (validation reports that). */
export function parseCell(raw: unknown): UnaryTest | undefined {
  if (raw !== null && typeof raw === "object") return undefined;
  try {
    return parseUnaryTest(raw as string | number | boolean | null);
  } catch {
    return undefined;
  }
}

/**
 * The type of an input from every cell that tests it; `undefined` when the
 * column tests nothing (only `-`), `"mixed"` when its literals disagree.
 */
export function columnType(cells: readonly (UnaryTest | undefined)[]): AxisType | "mixed" | undefined {
  const classes = new Set<LiteralClass>();
  let orderingText = false;
  for (const cell of cells) {
    if (!cell || cell.kind === "any") continue;
    for (const a of cell.tests) {
      for (const v of atomLiterals(a)) {
        const c = literalClass(v);
        if (c !== "null") classes.add(c);
        if (c === "numeric-text" && isOrdering(a)) orderingText = true;
      }
    }
  }
  if (classes.size === 0) return undefined;
  if (classes.has("other")) return "mixed";
  if (classes.has("number") || orderingText) {
    return [...classes].every((c) => c === "number" || c === "numeric-text") ? "number" : "mixed";
  }
  if (classes.has("date")) return [...classes].every((c) => c === "date") ? "date" : "mixed";
  if (classes.has("boolean")) return classes.size === 1 ? "boolean" : "mixed";
  return "string"; // text and numeric text compared as text
}

function bound(type: "number" | "date", v: unknown, closed: boolean): Bound | undefined {
  if (type === "date") {
    const t = parseInstant(v);
    return t === undefined ? undefined : { v: { u: BigInt(t), s: 0 }, closed };
  }
  const e = exactOf(v);
  return e === undefined ? undefined : { v: e, closed };
}

/** The set an atom accepts among present values of `type`, or a reason it is beyond the analysis. */
function atomSet(a: Atom, type: AxisType, name: string): ValueSet | Reason {
  const wrongType: Reason = { key: "reasonWrongType", params: { fact: name } };
  if (a.kind === "range") {
    if (type !== "number" && type !== "date") return { key: "reasonTextOrdering" };
    const lo = bound(type, a.low, a.lowClosed);
    const hi = bound(type, a.high, a.highClosed);
    if (!lo || !hi) return wrongType;
    return intervalSet(type, lo, hi);
  }
  const v = a.value;
  if (v === null || v === undefined) {
    // Present values never equal null; every present value differs from it.
    return a.kind === "cmp" && a.op === "!=" ? fullSet(type) : a.kind === "eq" ? emptySet(type) : { key: "reasonTextOrdering" };
  }
  const point = pointSet(type, v, name);
  if ("key" in point) return point;
  if (a.kind === "eq") return point;
  if (a.op === "!=") return complement(point);
  if (type !== "number" && type !== "date") return { key: "reasonTextOrdering" };
  const b = bound(type, v, a.op === "<=" || a.op === ">=")!;
  return a.op === "<" || a.op === "<=" ? intervalSet(type, undefined, b) : intervalSet(type, b, undefined);
}

function pointSet(type: AxisType, v: unknown, name: string): ValueSet | Reason {
  const wrongType: Reason = { key: "reasonWrongType", params: { fact: name } };
  switch (type) {
    case "number":
    case "date": {
      const b = bound(type, v, true);
      return b ? intervalSet(type, b, b) : wrongType;
    }
    case "boolean":
      return typeof v === "boolean" ? finiteSet("boolean", [String(v)]) : wrongType;
    case "string":
      return typeof v === "string" ? finiteSet("string", [v]) : wrongType;
  }
}

/** The set a parsed cell accepts among present values of `type`. */
export function cellSet(cell: UnaryTest, type: AxisType, name: string): CellSet {
  if (cell.kind === "any") return { kind: "set", set: fullSet(type) };
  let acc = emptySet(type);
  for (const a of cell.tests) {
    const s = atomSet(a, type, name);
    if ("key" in s) return { kind: "unknown", reason: s };
    acc = union(acc, s);
  }
  return { kind: "set", set: cell.negate ? complement(acc) : acc };
}
