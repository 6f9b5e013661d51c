/**
 * The pure logic of `<rf-condition-editor>`: what kind of node a JSON value
 * is, how a group changes type, what shape an operator's value takes and how
 * a value is carried over when the operator changes, and where an expression
 * error's position falls in its source. No DOM here: the property tests run
 * these in node.
 */
import { CONDITION_OPERATORS, type ConditionOperator } from "@ruleflow/engine/rules";
import type { Issue } from "@ruleflow/engine";
import { isList } from "../../shared/json.js";

/** The operators a fact row offers, in the engine's order. */
export const OPERATORS: readonly ConditionOperator[] = CONDITION_OPERATORS;

/** The group types a group node can take. */
export const GROUP_TYPES = ["all", "any", "not"] as const;
/** One of {@link GROUP_TYPES}. */
export type GroupType = (typeof GROUP_TYPES)[number];

/** What a node of a condition tree is; `unknown` for anything that is not a condition. */
export type NodeKind = GroupType | "expr" | "fact" | "unknown";

type Json = unknown;
type Obj = Record<string, Json>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The kind of a condition node (by its key, as the engine's schema tells them apart). */
export function nodeKind(node: unknown): NodeKind {
  if (!isObject(node)) return "unknown";
  if (Array.isArray(node.all)) return "all";
  if (Array.isArray(node.any)) return "any";
  if ("not" in node) return "not";
  if ("expr" in node) return "expr";
  if ("fact" in node || "op" in node) return "fact";
  return "unknown";
}

/** The children of a group node with the key they sit under (`all`, `any`; `not` has one child). */
export function childrenOf(node: unknown): { key: "all" | "any"; list: Json[] } | { key: "not"; child: Json } | undefined {
  const kind = nodeKind(node);
  if (kind === "all" || kind === "any") return { key: kind, list: (node as Obj)[kind] as Json[] };
  if (kind === "not") return { key: "not", child: (node as Obj).not };
  return undefined;
}

function withLabel(next: Obj, from: unknown): Obj {
  const label = isObject(from) ? from.label : undefined;
  return label === undefined ? next : { ...next, label };
}

/**
 * A group node turned into another group type, keeping its label.
 * `all`/`any` swap their key. To `not`: one child becomes `{ not: child }`,
 * several become `{ not: { all: [...] } }`. From `not`: a child that is itself
 * an `all`/`any` group gives its children to the new group, any other child
 * becomes the new group's only child (so `all -> not -> all` returns the same
 * list).
 */
export function setGroupType(node: unknown, to: GroupType): Obj {
  const c = childrenOf(node);
  if (!c) return withLabel(to === "not" ? { not: { all: [] } } : { [to]: [] }, node);
  if (c.key === to) return node as Obj;
  if (c.key === "not") {
    if (to === "not") return node as Obj;
    const inner = childrenOf(c.child);
    const list = inner && inner.key !== "not" && (c.child as Obj).label === undefined ? inner.list : [c.child];
    return withLabel({ [to]: list }, node);
  }
  if (to === "not") return withLabel({ not: c.list.length === 1 ? c.list[0] : { all: c.list } }, node);
  return withLabel({ [to]: c.list }, node);
}

/** How an operator's `value` is edited. */
export type ValueShape = "scalar" | "list" | "pair" | "exists";

/** The value shape of an operator: `in`/`notIn` take a list, `between` two values, `exists` present/missing, the rest one value. */
export function valueShape(op: string): ValueShape {
  if (op === "in" || op === "notIn") return "list";
  if (op === "between") return "pair";
  if (op === "exists") return "exists";
  return "scalar";
}

/** What one value (or each list item) is typed as in the editor. `fact` is a reference to another fact (`{ "fact": "..." }`). */
export type ValueKind = "text" | "number" | "boolean" | "fact";

/** The value kinds an operator's value (or its items) may take, the first being the default. */
export function valueKinds(op: string): readonly ValueKind[] {
  switch (op) {
    case "eq":
    case "ne":
      return ["text", "number", "boolean", "fact"];
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return ["number", "text", "fact"];
    case "contains":
    case "notContains":
      return ["text", "number", "fact"];
    case "in":
    case "notIn":
      return ["text", "number", "fact"];
    case "between":
      return ["number", "text"];
    case "startsWith":
    case "endsWith":
    case "before":
    case "after":
      return ["text", "fact"];
    case "withinLast":
      return ["text"];
    default:
      return [];
  }
}

/** Whether `v` is a reference to another fact: exactly `{ "fact": "<string>" }`. */
export function isFactRef(v: unknown): v is { fact: string } {
  return isObject(v) && Object.keys(v).length === 1 && typeof v.fact === "string";
}

/** The kind of a single value, or undefined for one the editor has no input for (null, objects, nested arrays). */
export function kindOf(v: unknown): ValueKind | undefined {
  if (typeof v === "string") return "text";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  if (isFactRef(v)) return "fact";
  return undefined;
}

/**
 * The kind a row's value is shown as: the kind of the value (of the first
 * list or pair item), when the operator allows it, else the operator's default.
 */
export function displayKind(op: string, value: unknown): ValueKind {
  const kinds = valueKinds(op);
  const shape = valueShape(op);
  const sample = (shape === "list" || shape === "pair") && isList(value) ? value.find((v) => kindOf(v) !== undefined) : value;
  const k = kindOf(sample);
  return k !== undefined && kinds.includes(k) ? k : (kinds[0] ?? "text");
}

/** A single value converted to `kind` (a number from text that reads as one; undefined when it cannot be). */
export function convertScalar(v: unknown, kind: ValueKind): unknown {
  const text = isFactRef(v) ? v.fact : typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "";
  switch (kind) {
    case "text":
      return text;
    case "number": {
      if (typeof v === "number") return v;
      const n = text.trim() === "" ? NaN : Number(text);
      return Number.isFinite(n) ? n : undefined;
    }
    case "boolean":
      return v === true || text === "true";
    case "fact":
      return { fact: text };
  }
}

/** The value typed into an input of `kind` (undefined for a number input left empty or unreadable). */
export function parseInput(kind: ValueKind, text: string): unknown {
  return convertScalar(text, kind);
}

/** The text an input shows for a value. */
export function inputText(v: unknown): string {
  if (isFactRef(v)) return v.fact;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === undefined) return "";
  return JSON.stringify(v);
}

function allowed(op: string, v: unknown): boolean {
  const k = kindOf(v);
  return k !== undefined && valueKinds(op).includes(k);
}

/**
 * A row's value carried over to operator `op`: kept when it already has the
 * operator's shape, else reshaped (one value becomes a one-item list, a list
 * gives its first item, a value becomes both ends of a range) or dropped
 * (undefined) when nothing of it fits. Applying it twice changes nothing.
 */
export function coerceValue(op: string, value: unknown): unknown {
  switch (valueShape(op)) {
    case "list":
      if (isFactRef(value)) return value;
      if (Array.isArray(value)) return value;
      return allowed(op, value) ? [value] : [];
    case "pair": {
      const items = isList(value) ? value : [value];
      const first = items.find((v) => allowed(op, v));
      if (first === undefined) return [0, 0];
      const second = items.slice(items.indexOf(first) + 1).find((v) => kindOf(v) === kindOf(first));
      // the engine wants low <= high: a carried-over pair in the other order is turned round
      if (second !== undefined && (typeof first === "number" || typeof first === "string") && typeof second === typeof first && (second as number | string) < first) return [second, first];
      return [first, second ?? first];
    }
    case "exists":
      return typeof value === "boolean" ? value : undefined;
    case "scalar": {
      if (allowed(op, value)) return value;
      if (isList(value)) {
        const first = value.find((v) => allowed(op, v));
        if (first !== undefined) return first;
      }
      if (valueKinds(op).includes("text") && (typeof value === "number" || typeof value === "boolean")) return String(value);
      return undefined;
    }
  }
}

/** A new fact row: the first known fact (or none yet), `eq`, an empty text. */
export function newFactRow(facts: readonly string[]): Obj {
  return { fact: facts[0] ?? "", op: "eq", value: "" };
}

/** A copy of `list` with the item at `from` moved to `to` (both clamped to the list). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  if (list.length === 0) return copy;
  const f = Math.max(0, Math.min(list.length - 1, from));
  const t = Math.max(0, Math.min(list.length - 1, to));
  const [item] = copy.splice(f, 1);
  copy.splice(t, 0, item as T);
  return copy;
}

/** Where a position (a 0-based character offset, as ExpressionError has) falls in a source: its line and column. */
export interface CaretPlace {
  /** 0-based line index. */
  line: number;
  /** 0-based column within the line. */
  column: number;
  /** The text of that line. */
  lineText: string;
}

/** The line and column of `position` in `source` (clamped to the source). */
export function caretAt(source: string, position: number): CaretPlace {
  const pos = Math.max(0, Math.min(source.length, Math.trunc(Number.isFinite(position) ? position : 0)));
  let start = 0;
  let line = 0;
  for (;;) {
    const nl = source.indexOf("\n", start);
    if (nl === -1 || nl >= pos) {
      const end = nl === -1 ? source.length : nl;
      return { line, column: pos - start, lineText: source.slice(start, end) };
    }
    start = nl + 1;
    line++;
  }
}

/**
 * The character offset an expression issue points at: the engine's
 * `params.position` (issues of `ExpressionError`s carry it), else the
 * `at position N` of the English message; undefined when the issue has none.
 */
export function issuePosition(issue: Pick<Issue, "message" | "params">): number | undefined {
  const p = issue.params?.position;
  if (typeof p === "number" && Number.isFinite(p)) return p;
  const m = /at position (\d+)/.exec(issue.message);
  return m ? Number(m[1]) : undefined;
}

/** An id-safe token for a JSON path (used to tie controls to their messages). */
export function pathId(path: readonly (string | number)[]): string {
  // every segment starts with "-" (escaped text never contains one), so [] and [""] differ
  return "p" + path.map((s) => "-" + String(s).replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)).join("");
}
