/**
 * The pure part of `<rf-decision-table-editor>`: the grid's columns, the text
 * of a cell and the JSON value typed text becomes, and the document edits
 * (rows and columns added, removed, moved, renamed). Nothing here touches the
 * DOM; every function returns a new document and never mutates its input.
 */
import type { JsonPath } from "../../shared/base.js";
import { isList } from "../../shared/json.js";

/** One input column as the document writes it. */
interface TableInput {
  id: string;
  expr: string;
  label?: string;
  [key: string]: unknown;
}

/** One output column as the document writes it. */
interface TableOutput {
  id: string;
  type?: string;
  label?: string;
  allowedValues?: unknown[];
  [key: string]: unknown;
}

/** One row (rule): cells keyed by column id, plus optional `id` and `description`. */
type TableRule = Record<string, unknown>;

/** The parts of a decision table document the editor reads; other keys are kept as they are. */
export interface TableDoc {
  kind?: string;
  id?: string;
  version?: number;
  name?: string;
  hitPolicy?: string;
  aggregation?: string;
  inputs?: TableInput[];
  outputs?: TableOutput[];
  rules?: TableRule[];
  [key: string]: unknown;
}

/** The two column groups of a table. */
export type ColumnGroup = "inputs" | "outputs";

/** What a grid column shows. */
export type GridColumn =
  | { kind: "num" }
  | { kind: "id"; key: "id" }
  | { kind: "input"; index: number; key: string }
  | { kind: "output"; index: number; key: string }
  | { kind: "description"; key: "description" };

/** The grid's columns, left to right: row number, rule id, inputs, outputs, description. */
export function gridColumns(doc: TableDoc | undefined): GridColumn[] {
  const cols: GridColumn[] = [{ kind: "num" }, { kind: "id", key: "id" }];
  (doc?.inputs ?? []).forEach((c, index) => cols.push({ kind: "input", index, key: String(c?.id ?? "") }));
  (doc?.outputs ?? []).forEach((c, index) => cols.push({ kind: "output", index, key: String(c?.id ?? "") }));
  cols.push({ kind: "description", key: "description" });
  return cols;
}

/** The grid column index of an input or output column. */
export function gridColumnOf(doc: TableDoc | undefined, group: ColumnGroup, index: number): number {
  return 2 + (group === "outputs" ? (doc?.inputs?.length ?? 0) : 0) + index;
}

// ---------------------------------------------------------------------------
// cell text <-> JSON value

/** The text of an input cell (a unary test): strings as written, other JSON as JSON. A missing cell is `-`. */
export function inputCellText(value: unknown): string {
  if (value === undefined) return "-";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The value typed input text becomes: the unary-test text, trimmed; empty text is `-` (anything). */
export function parseInputCell(text: string): string {
  const t = text.trim();
  return t === "" ? "-" : t;
}

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isExprObject(v: unknown): v is { expr: string } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { expr?: unknown }).expr === "string";
}

/**
 * The value typed output text becomes, for an output of `type`:
 * empty text removes the cell (`undefined`); `= expr` is `{ "expr": "expr" }`;
 * a JSON-quoted string is that string; `null` is null; otherwise by type
 * (`number`: a number, `boolean`: true/false, `json`: any JSON) and, failing
 * that, the text as a string (the engine then says what is wrong with it).
 * `decimal` values stay strings, as the engine keeps them exact.
 */
export function parseOutputCell(text: string, type: string | undefined): unknown {
  const t = text.trim();
  if (t === "") return undefined;
  if (t.startsWith("=")) return { expr: t.slice(1).trim() };
  if (t.startsWith('"')) {
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v === "string") return v;
    } catch {
      // not a JSON string: fall through to the text itself
    }
  }
  if (t === "null") return null;
  switch (type) {
    case "number":
      if (NUMBER.test(t)) return Number(t);
      break;
    case "boolean":
      if (t === "true") return true;
      if (t === "false") return false;
      break;
    case "json":
      try {
        return JSON.parse(t) as unknown;
      } catch {
        break;
      }
  }
  return t;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The text of an output cell: `= expr` for an expression, a string as written
 * when typing it back gives the same string (else JSON-quoted), anything else
 * as JSON. A missing cell is empty text.
 */
export function outputCellText(value: unknown, type: string | undefined): string {
  if (value === undefined) return "";
  if (isExprObject(value)) return `= ${value.expr}`;
  if (typeof value === "string") return sameJson(parseOutputCell(value, type), value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------
// document edits

/** A copy of `items` with the item at `from` moved to `to` (both clamped to the array). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const out = [...items];
  if (from < 0 || from >= out.length) return out;
  const target = Math.max(0, Math.min(out.length - 1, to));
  const [item] = out.splice(from, 1);
  out.splice(target, 0, item as T);
  return out;
}

/** A new, empty rule: every input `-` (anything), outputs left for the user to fill. */
function emptyRule(doc: TableDoc): TableRule {
  const rule: TableRule = {};
  for (const c of doc.inputs ?? []) rule[c.id] = "-";
  return rule;
}

/** Insert an empty rule at `at` (clamped). */
export function insertRule(doc: TableDoc, at: number): TableDoc {
  const rules = [...(doc.rules ?? [])];
  rules.splice(Math.max(0, Math.min(rules.length, at)), 0, emptyRule(doc));
  return { ...doc, rules };
}

/** Remove the rule at `at`. */
export function removeRule(doc: TableDoc, at: number): TableDoc {
  return { ...doc, rules: (doc.rules ?? []).filter((_, i) => i !== at) };
}

/** Move the rule at `from` to `to`. */
export function moveRule(doc: TableDoc, from: number, to: number): TableDoc {
  return { ...doc, rules: moveItem(doc.rules ?? [], from, to) };
}

/** A column id of `base` plus a number that no input, output or rule key uses yet. */
function freshColumnId(doc: TableDoc, base: string): string {
  const taken = new Set<string>(["id", "description"]);
  for (const c of [...(doc.inputs ?? []), ...(doc.outputs ?? [])]) taken.add(String(c?.id));
  for (const r of doc.rules ?? []) for (const k of Object.keys(r ?? {})) taken.add(k);
  for (let n = 1; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/**
 * Add a column to `group` at `at` (clamped): an input `{ id, expr: "" }` whose
 * cells are `-` in every rule, or an output `{ id, type: "string" }` whose
 * cells are left for the user to fill. Returns the document and the new
 * column's index in its group.
 */
export function addColumn(doc: TableDoc, group: ColumnGroup, at: number, baseId: string): { doc: TableDoc; index: number } {
  const id = freshColumnId(doc, baseId);
  const list = [...((doc[group] ?? []) as (TableInput | TableOutput)[])];
  const index = Math.max(0, Math.min(list.length, at));
  list.splice(index, 0, group === "inputs" ? { id, expr: "" } : { id, type: "string" });
  const rules = group === "inputs" ? (doc.rules ?? []).map((r) => ({ ...r, [id]: "-" })) : doc.rules;
  return { doc: { ...doc, [group]: list, ...(rules ? { rules } : {}) }, index };
}

/** Remove the column at `index` of `group` and its cell from every rule. */
export function removeColumn(doc: TableDoc, group: ColumnGroup, index: number): TableDoc {
  const list = (doc[group] ?? []) as (TableInput | TableOutput)[];
  const col = list[index];
  if (!col) return doc;
  const others = [...(doc.inputs ?? []), ...(doc.outputs ?? [])].filter((c) => c !== col);
  const shared = others.some((c) => c.id === col.id);
  const rules = (doc.rules ?? []).map((r) => {
    if (shared || !Object.hasOwn(r, col.id)) return r;
    const copy = { ...r };
    delete copy[col.id];
    return copy;
  });
  return { ...doc, [group]: list.filter((_, i) => i !== index), rules };
}

/** Move the column at `from` of `group` to `to` (within the group). */
export function moveColumn(doc: TableDoc, group: ColumnGroup, from: number, to: number): TableDoc {
  return { ...doc, [group]: moveItem((doc[group] ?? []) as (TableInput | TableOutput)[], from, to) };
}

/**
 * Rename the column at `index` of `group` to `newId`, and its cell in every
 * rule (keeping each rule's key order). A rule that already has a `newId` key,
 * or a `newId` another column uses, leaves the cells where they are (the
 * engine then reports the clash at the column's id).
 */
export function renameColumn(doc: TableDoc, group: ColumnGroup, index: number, newId: string): TableDoc {
  const list = [...((doc[group] ?? []) as (TableInput | TableOutput)[])];
  const col = list[index];
  if (!col || col.id === newId) return doc;
  const oldId = col.id;
  list[index] = { ...col, id: newId };
  const clash = newId === "" || newId === "id" || newId === "description" || [...(doc.inputs ?? []), ...(doc.outputs ?? [])].some((c) => c !== col && c.id === newId);
  const rules = clash
    ? doc.rules
    : (doc.rules ?? []).map((r) => {
        if (!Object.hasOwn(r, oldId) || Object.hasOwn(r, newId)) return r;
        const out: TableRule = {};
        for (const [k, v] of Object.entries(r)) out[k === oldId ? newId : k] = v;
        return out;
      });
  return { ...doc, [group]: list, ...(rules ? { rules } : {}) };
}

/**
 * The text of an output's `allowedValues` in its editor: the JSON values
 * separated by commas (`"board", "director"`).
 */
export function allowedValuesText(values: readonly unknown[] | undefined): string {
  return (values ?? []).map((v) => JSON.stringify(v)).join(", ");
}

/**
 * Typed allowed values back to a list: the text as a JSON array's items when
 * it is one (`"board", "director"`, `1, 2`), else each comma-separated part as
 * a string. Empty text is `undefined` (no `allowedValues`).
 */
export function parseAllowedValues(text: string): unknown[] | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  try {
    const v: unknown = JSON.parse(`[${t}]`);
    if (isList(v)) return v;
  } catch {
    // not JSON: plain words
  }
  return t
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

// ---------------------------------------------------------------------------
// paths

/**
 * A JSON path from the text the engine writes (`rules[2].paid`,
 * `outputs[0]["odd key"]`), or the path itself when given as segments.
 * Unreadable text is one segment (the text), so nothing is lost.
 */
export function parsePath(path: JsonPath | string): (string | number)[] {
  if (typeof path !== "string") return [...path];
  if (path === "" || path === "(root)" || path === "(document)") return [];
  const out: (string | number)[] = [];
  let i = 0;
  const ident = /^[A-Za-z_$][\w$-]*/;
  while (i < path.length) {
    if (path[i] === "[") {
      const close = path.indexOf("]", i);
      const num = /^\[(\d+)\]/.exec(path.slice(i));
      if (num) {
        out.push(Number(num[1]));
        i += num[0].length;
        continue;
      }
      if (path[i + 1] === '"') {
        // a JSON string key: find its closing quote (skipping escapes)
        let j = i + 2;
        while (j < path.length && path[j] !== '"') j += path[j] === "\\" ? 2 : 1;
        if (path[j + 1] === "]") {
          try {
            out.push(JSON.parse(path.slice(i + 1, j + 1)) as string);
            i = j + 2;
            continue;
          } catch {
            // fall through
          }
        }
      }
      if (close < 0) return [path];
      out.push(path.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    if (path[i] === "." && out.length > 0) i++;
    const m = ident.exec(path.slice(i));
    if (!m) {
      const rest = /^[^.[]+/.exec(path.slice(i));
      if (!rest) return [path];
      out.push(/^\d+$/.test(rest[0]) ? Number(rest[0]) : rest[0]);
      i += rest[0].length;
      continue;
    }
    out.push(m[0]);
    i += m[0].length;
  }
  return out;
}

/** Where a path lands in the grid: a rule (`rules[2]`), one of its cells (`rules[2].paid`, or under it), or neither. */
export function ruleTarget(path: JsonPath): { rule: number; key?: string } | undefined {
  if (path[0] !== "rules" || typeof path[1] !== "number") return undefined;
  if (path.length === 2) return { rule: path[1] };
  return typeof path[2] === "string" ? { rule: path[1], key: path[2] } : { rule: path[1] };
}
