/**
 * Condition trees (fact leaves and `expr` leaves) as exact sets of facts.
 * Each condition becomes a formula over fact axes; the formula becomes two
 * unions of boxes, `under` ⊆ (facts where it holds) ⊆ `over`, exact where
 * every leaf is within the analysis. A leaf beyond it (a function call,
 * arithmetic on facts, a comparison with another fact, text patterns) counts
 * as "holds" in `over` and "fails" in `under`, so whatever is claimed from
 * `over` (never holds) or from `under` (covers a later rule) stays true.
 *
 * Facts are taken as present: a missing fact is the evaluation's business
 * (it warns about ordering comparisons on missing facts).
 * @internal
 */
import type { Node } from "../../expr/ast.js";
import { parseExpression } from "../../expr/parse.js";
import { parseInstant } from "../../expr/values.js";
import type { Condition } from "../../schema/condition.js";
import { intersectBoxes, type Box } from "./boxes.js";
import { literalClass } from "./cells.js";
import { pathOfNode } from "./facts.js";
import type { AnalysisKey } from "../../i18n/messages/analysis.js";
import type { Reason } from "./reason.js";
import { complement, emptySet, exactOf, finiteSet, fullSet, intervalSet, isEmpty, union, type AxisType, type Bound, type ValueSet } from "./sets.js";

type Path = (string | number)[];


const because = (key: AnalysisKey, params?: Record<string, string>): Reason => ({ key, params });

type Op = "eq" | "ne" | "in" | "notIn" | "gt" | "gte" | "lt" | "lte" | "between" | "before" | "after" | "exists";

/** A condition as a formula over facts. */
export type Formula =
  | { readonly k: "and" | "or"; readonly xs: readonly Formula[]; readonly path: Path }
  | { readonly k: "not"; readonly x: Formula; readonly path: Path }
  | { readonly k: "atom"; readonly fact: string; readonly op: Op; readonly value: unknown; readonly path: Path }
  | { readonly k: "unknown"; readonly reason: Reason; readonly path: Path }
  | { readonly k: "const"; readonly value: boolean; readonly path: Path };

const FLIP: Record<string, Op> = { "<": "gt", "<=": "gte", ">": "lt", ">=": "lte", "==": "eq", "!=": "ne" };
const DIRECT: Record<string, Op> = { "<": "lt", "<=": "lte", ">": "gt", ">=": "gte", "==": "eq", "!=": "ne" };

/** The literal value of a node: a literal, `-5`, `date("2026-01-01")`, or an array of those. */
function literalOf(n: Node): { value: unknown } | undefined {
  if (n.type === "literal") return { value: n.value };
  if (n.type === "unary" && n.op === "-" && n.arg.type === "literal" && typeof n.arg.value === "number") return { value: -n.arg.value };
  if (n.type === "call" && n.name === "date" && n.args.length === 1 && n.args[0]!.type === "literal" && parseInstant(n.args[0].value) !== undefined) {
    return { value: n.args[0].value };
  }
  if (n.type === "array") {
    const items: unknown[] = [];
    for (const item of n.items) {
      const v = literalOf(item);
      if (!v) return undefined;
      items.push(v.value);
    }
    return { value: items };
  }
  return undefined;
}

function hasFact(n: Node): boolean {
  switch (n.type) {
    case "name":
      return true;
    case "member":
    case "index":
      return true;
    case "unary":
      return hasFact(n.arg);
    case "binary":
    case "logical":
      return hasFact(n.left) || hasFact(n.right);
    case "conditional":
      return hasFact(n.test) || hasFact(n.then) || hasFact(n.otherwise);
    case "call":
      return n.args.some(hasFact);
    case "array":
      return n.items.some(hasFact);
    default:
      return false;
  }
}

function whyBeyond(n: Node): Reason {
  if (n.type === "call") return because("reasonCall", { fn: n.name });
  if (n.type === "binary" && ["+", "-", "*", "/", "%", "^"].includes(n.op)) return because("reasonArithmetic");
  if (n.type === "binary") return hasFact(n.left) && hasFact(n.right) ? because("reasonFactComparison") : because("reasonUnreadable");
  if (n.type === "conditional") return because("reasonConditional");
  return because("reasonUnreadable");
}

function fromNode(n: Node, path: Path): Formula {
  if (n.type === "logical") return { k: n.op, xs: [fromNode(n.left, path), fromNode(n.right, path)], path };
  if (n.type === "unary" && n.op === "not") return { k: "not", x: fromNode(n.arg, path), path };
  if (n.type === "literal" && typeof n.value === "boolean") return { k: "const", value: n.value, path };
  const bare = pathOfNode(n);
  if (bare !== undefined) return { k: "atom", fact: bare, op: "eq", value: true, path };
  if (n.type === "binary") {
    const lp = pathOfNode(n.left);
    const rp = pathOfNode(n.right);
    const ll = literalOf(n.left);
    const rl = literalOf(n.right);
    if (n.op === "in" && lp !== undefined && rl && Array.isArray(rl.value)) return { k: "atom", fact: lp, op: "in", value: rl.value, path };
    if (lp !== undefined && rl && DIRECT[n.op]) return { k: "atom", fact: lp, op: DIRECT[n.op]!, value: rl.value, path };
    if (rp !== undefined && ll && FLIP[n.op]) return { k: "atom", fact: rp, op: FLIP[n.op]!, value: ll.value, path };
  }
  return { k: "unknown", reason: whyBeyond(n), path };
}

const OPS: ReadonlySet<string> = new Set<Op>(["eq", "ne", "in", "notIn", "gt", "gte", "lt", "lte", "between", "before", "after", "exists"]);

/** Read a condition tree (as validated by its schema) into a formula. */
export function toFormula(c: Condition, path: Path): Formula {
  if ("all" in c) return { k: "and", xs: c.all.map((x, i) => toFormula(x, [...path, "all", i])), path };
  if ("any" in c) return { k: "or", xs: c.any.map((x, i) => toFormula(x, [...path, "any", i])), path };
  if ("not" in c) return { k: "not", x: toFormula(c.not, [...path, "not"]), path };
  if ("expr" in c) {
    try {
      return fromNode(parseExpression(c.expr), [...path, "expr"]);
    } catch {
      return { k: "unknown", reason: because("reasonUnparsed"), path: [...path, "expr"] };
    }
  }
  const v = c.value;
  if (typeof v === "object" && v !== null && !Array.isArray(v) && "fact" in v) return { k: "unknown", reason: because("reasonFactComparison"), path };
  if (!OPS.has(c.op)) return { k: "unknown", reason: because("reasonOperator", { op: c.op }), path };
  if (c.op === "exists" && v === false) return { k: "unknown", reason: because("reasonMissingTest"), path };
  return { k: "atom", fact: c.fact, op: c.op as Op, value: v, path };
}

/** The literals an atom compares with. */
function atomLiterals(f: Formula & { k: "atom" }): unknown[] {
  if (f.op === "exists") return [];
  return Array.isArray(f.value) ? f.value : [f.value];
}

/** Every atom and unknown leaf of a formula. */
function leaves(f: Formula): Formula[] {
  if (f.k === "and" || f.k === "or") return f.xs.flatMap(leaves);
  if (f.k === "not") return leaves(f.x);
  return [f];
}

/** The type of each fact from the literals it is compared with across formulas; `mixed` facts are beyond the analysis. */
function factTypes(formulas: readonly Formula[]): Map<string, AxisType | "mixed"> {
  const classes = new Map<string, Set<string>>();
  for (const f of formulas) {
    for (const leaf of leaves(f)) {
      if (leaf.k !== "atom") continue;
      const set = classes.get(leaf.fact) ?? new Set<string>();
      classes.set(leaf.fact, set);
      if (leaf.op === "before" || leaf.op === "after") set.add("date");
      for (const v of atomLiterals(leaf)) {
        const c = literalClass(v);
        if (c !== "null") set.add(c === "numeric-text" && (leaf.op === "eq" || leaf.op === "ne" || leaf.op === "in" || leaf.op === "notIn") ? "text-or-number" : c === "numeric-text" ? "number" : c);
      }
    }
  }
  const out = new Map<string, AxisType | "mixed">();
  for (const [fact, set] of classes) {
    let t: AxisType | "mixed";
    if (set.has("other")) t = "mixed";
    else if (set.has("number")) t = [...set].every((c) => c === "number" || c === "text-or-number") ? "number" : "mixed";
    else if (set.has("date")) t = set.size === 1 ? "date" : "mixed";
    else if (set.has("boolean")) t = set.size === 1 ? "boolean" : "mixed";
    else if (set.size === 0) t = "string";
    else t = [...set].every((c) => c === "text" || c === "text-or-number") ? "string" : "mixed";
    out.set(fact, t);
  }
  return out;
}

function point(type: AxisType, v: unknown): ValueSet | undefined {
  if (type === "number" || type === "date") {
    const b = boundOf(type, v, true);
    return b ? intervalSet(type, b, b) : undefined;
  }
  if (type === "boolean") return typeof v === "boolean" ? finiteSet("boolean", [String(v)]) : undefined;
  return typeof v === "string" ? finiteSet("string", [v]) : undefined;
}

function boundOf(type: "number" | "date", v: unknown, closed: boolean): Bound | undefined {
  if (type === "date") {
    const t = parseInstant(v);
    return t === undefined ? undefined : { v: { u: BigInt(t), s: 0 }, closed };
  }
  const e = exactOf(v);
  return e ? { v: e, closed } : undefined;
}

/** The set of an atom's fact where it holds, or a reason it is beyond the analysis. */
function atomSet(f: Formula & { k: "atom" }, type: AxisType): ValueSet | Reason {
  const wrongType = because("reasonWrongType", { fact: f.fact });
  const v = f.value;
  switch (f.op) {
    case "exists":
      return fullSet(type);
    case "eq":
    case "ne": {
      if (v === null) return f.op === "eq" ? emptySet(type) : fullSet(type);
      const p = point(type, v);
      if (!p) return wrongType;
      return f.op === "eq" ? p : complement(p);
    }
    case "in":
    case "notIn": {
      if (!Array.isArray(v)) return wrongType;
      let acc = emptySet(type);
      for (const item of v) {
        if (item === null) continue;
        const p = point(type, item);
        if (!p) return wrongType;
        acc = union(acc, p);
      }
      return f.op === "in" ? acc : complement(acc);
    }
    case "between": {
      if (type !== "number" && type !== "date") return because("reasonTextOrdering");
      if (!Array.isArray(v) || v.length !== 2) return wrongType;
      const lo = boundOf(type, v[0], true);
      const hi = boundOf(type, v[1], true);
      return lo && hi ? intervalSet(type, lo, hi) : wrongType;
    }
    default: {
      if (type !== "number" && type !== "date") return because("reasonTextOrdering");
      if (v === null || v === undefined) return emptySet(type); // an ordering against null never holds
      const closed = f.op === "gte" || f.op === "lte";
      const b = boundOf(type, v, closed);
      if (!b) return wrongType;
      return f.op === "gt" || f.op === "gte" || f.op === "after" ? intervalSet(type, b, undefined) : intervalSet(type, undefined, b);
    }
  }
}

/** The facts a set of formulas reads, as axes, with their types. */
export interface Axes {
  readonly facts: readonly string[];
  readonly types: readonly (AxisType | "mixed")[];
}

/** Axes for every fact of the formulas. */
export function axesOf(formulas: readonly Formula[]): Axes {
  const types = factTypes(formulas);
  const facts = [...types.keys()];
  return { facts, types: facts.map((f) => types.get(f)!) };
}

/** The box holding every fact combination. Mixed facts take a string axis (they are never constrained). */
export function fullBox(axes: Axes): Box {
  return axes.types.map((t) => fullSet(t === "mixed" ? "string" : t));
}

/** Bounds on where a formula holds. */
export interface Approx {
  readonly under: readonly Box[];
  readonly over: readonly Box[];
  /** Leaves beyond the analysis, with why. */
  readonly unknown: readonly { path: Path; reason: Reason }[];
}

/** Thrown when a formula's box form grows too large. */
export class TooLarge extends Error {}

const MAX_BOXES = 400;

function andBoxes(a: readonly Box[], b: readonly Box[]): Box[] {
  const out: Box[] = [];
  for (const x of a) {
    for (const y of b) {
      const z = intersectBoxes(x, y);
      if (z) out.push(z);
      if (out.length > MAX_BOXES) throw new TooLarge();
    }
  }
  return out;
}

function notBoxes(a: readonly Box[], full: Box): Box[] {
  let acc: Box[] = [full];
  for (const box of a) {
    const parts: Box[] = [];
    box.forEach((s, i) => {
      const c = complement(s);
      if (!isEmpty(c)) parts.push(full.map((f, j) => (j === i ? c : f)));
    });
    acc = andBoxes(acc, parts);
  }
  return acc;
}

/** `under` and `over` of a formula over `axes`. */
export function approximate(f: Formula, axes: Axes): Approx {
  const full = fullBox(axes);
  const unknown: { path: Path; reason: Reason }[] = [];
  const walk = (g: Formula): { under: Box[]; over: Box[] } => {
    switch (g.k) {
      case "const":
        return g.value ? { under: [full], over: [full] } : { under: [], over: [] };
      case "unknown":
        unknown.push({ path: g.path, reason: g.reason });
        return { under: [], over: [full] };
      case "atom": {
        const i = axes.facts.indexOf(g.fact);
        const t = axes.types[i]!;
        const s = t === "mixed" ? because("reasonMixed", { fact: g.fact }) : atomSet(g, t);
        if ("key" in s) {
          unknown.push({ path: g.path, reason: s });
          return { under: [], over: [full] };
        }
        const box = full.map((x, j) => (j === i ? s : x));
        return isEmpty(s) ? { under: [], over: [] } : { under: [box], over: [box] };
      }
      case "not": {
        const x = walk(g.x);
        return { under: notBoxes(x.over, full), over: notBoxes(x.under, full) };
      }
      case "and": {
        let under: Box[] = [full];
        let over: Box[] = [full];
        for (const x of g.xs.map(walk)) {
          under = andBoxes(under, x.under);
          over = andBoxes(over, x.over);
        }
        return { under, over };
      }
      case "or": {
        const parts = g.xs.map(walk);
        const under = parts.flatMap((p) => p.under);
        const over = parts.flatMap((p) => p.over);
        if (under.length > MAX_BOXES || over.length > MAX_BOXES) throw new TooLarge();
        return { under, over };
      }
    }
  };
  const r = walk(f);
  return { ...r, unknown };
}

/**
 * The node of a formula that makes it impossible: the deepest node whose
 * `over` is empty while none of its children's is (the `all` whose parts
 * contradict each other), or an impossible leaf.
 */
export function impossibleNode(f: Formula, axes: Axes): Formula | undefined {
  const empty = (g: Formula): boolean => approximate(g, axes).over.length === 0;
  if (!empty(f)) return undefined;
  let cur = f;
  for (;;) {
    const children = cur.k === "and" || cur.k === "or" ? cur.xs : cur.k === "not" ? [] : [];
    const next = children.find(empty);
    if (!next) return cur;
    cur = next;
  }
}
