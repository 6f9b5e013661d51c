/** Plain-text explanations of traces, for logs, CLIs and support staff. */
import type { ConditionTrace } from "../conditions/compile.js";
import type { DecisionResult, RowTrace, RuleTrace } from "./types.js";

const OP_WORDS: Record<string, string> = {
  eq: "=",
  ne: "≠",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  in: "in",
  notIn: "not in",
  contains: "contains",
  notContains: "does not contain",
  between: "between",
  exists: "exists",
  startsWith: "starts with",
  endsWith: "ends with",
  before: "before",
  after: "after",
  withinLast: "within the last",
};

const show = (v: unknown): string => (v === undefined ? "missing" : render(v, 0, []));

const MAX_ITEMS = 50;
const MAX_DEPTH = 8;

/**
 * JSON-like text for any value a host may pass as facts: never throws.
 * Cycles print as [Circular], BigInts as `12n`, functions as [function],
 * long arrays and objects are cut after 50 entries, nesting after 8 levels.
 */
function render(v: unknown, depth: number, stack: object[]): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
    case "boolean":
      return String(v);
    case "bigint":
      return `${v}n`;
    case "undefined":
      return "null";
    case "function":
      return "[function]";
    case "symbol":
      return "[symbol]";
  }
  if (v === null) return "null";
  const o = v as object;
  if (stack.includes(o)) return "[Circular]";
  if (depth >= MAX_DEPTH) return Array.isArray(o) ? "[…]" : "{…}";
  try {
    if (o instanceof Date) return Number.isNaN(o.getTime()) ? "null" : JSON.stringify(o.toISOString());
    const toJSON = (o as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return render(toJSON.call(o), depth + 1, [...stack, o]);
    const inner = [...stack, o];
    if (Array.isArray(o)) {
      const items = o.slice(0, MAX_ITEMS).map((x: unknown) => render(x, depth + 1, inner));
      if (o.length > MAX_ITEMS) items.push(`… ${o.length - MAX_ITEMS} more`);
      return `[${items.join(",")}]`;
    }
    const keys = Object.keys(o);
    const parts: string[] = [];
    for (const k of keys.slice(0, MAX_ITEMS)) {
      const x = (o as Record<string, unknown>)[k];
      if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
      parts.push(`${JSON.stringify(k)}:${render(x, depth + 1, inner)}`);
    }
    if (keys.length > MAX_ITEMS) parts.push(`… ${keys.length - MAX_ITEMS} more`);
    return `{${parts.join(",")}}`;
  } catch (e) {
    // A getter or proxy of the host threw while being shown.
    return `[unreadable: ${e instanceof Error ? e.message : String(e)}]`;
  }
}

function warningLines(warnings: readonly { message: string }[] | undefined, indent: string, error?: string): string[] {
  const lines = warnings ? warnings.map((w) => `${indent}  ⚠ ${w.message}`) : [];
  // Only nodes past the decision carry an error: evaluating stopped before them.
  if (error !== undefined) lines.push(`${indent}  ⚠ past the decision, could not be evaluated: ${error}`);
  return lines;
}

/**
 * Describe a condition trace as indented lines, one per node:
 * `✗ credit rating A: customer.creditRating is "B", expected = "A"`.
 */
export function describeConditionTrace(trace: ConditionTrace, indent = ""): string[] {
  const mark = trace.passed ? "✓" : "✗";
  const name = trace.label ? `${trace.label}: ` : "";
  switch (trace.type) {
    case "all":
    case "any": {
      const head = `${indent}${mark} ${name}${trace.type === "all" ? "all of" : "any of"}`;
      return [head, ...trace.children.flatMap((c) => describeConditionTrace(c, `${indent}  `))];
    }
    case "not":
      return [`${indent}${mark} ${name}not`, ...describeConditionTrace(trace.child, `${indent}  `)];
    case "expr": {
      const facts = Object.entries(trace.facts)
        .map(([k, v]) => `${k} = ${show(v)}`)
        .join(", ");
      return [`${indent}${mark} ${name}${trace.expr}${facts ? ` (${facts})` : ""} → ${show(trace.actual)}`, ...warningLines(trace.warnings, indent, trace.error)];
    }
    case "fact": {
      const actual = trace.missing ? "is missing" : `is ${show(trace.actual)}`;
      const expected = trace.expectedFact ? `${trace.expectedFact} (${show(trace.expected)})` : show(trace.expected);
      return [`${indent}${mark} ${name}${trace.fact} ${actual}, expected ${OP_WORDS[trace.op] ?? trace.op} ${expected}`, ...warningLines(trace.warnings, indent, trace.error)];
    }
  }
}

/**
 * Describe a rule set or decision table result: what decided, and for each
 * rule (when traced) why it matched or not.
 *
 * @example
 * ```ts
 * console.log(explainDecision(registry.evaluate("contract-auto-approval", facts, { trace: true })));
 * ```
 */
export function explainDecision(result: DecisionResult): string {
  const lines: string[] = [];
  const winner = result.matched.map((m) => m.id).join(", ") || "no rule";
  const decided = new Set(result.matched.map((m) => m.index));
  lines.push(`${result.kind} ${result.id} v${result.version} (${result.hitPolicy}) at ${result.at}: ${winner} → ${show(result.output)}`);
  for (const rule of result.trace?.rules ?? []) {
    if ("cells" in rule) {
      const row = rule as RowTrace;
      const cells = row.cells.map((c) => `${c.input} ${show(c.actual)} ${c.passed ? "✓" : "✗"} ${c.test}`).join("; ");
      lines.push(`  ${row.matched ? "✓" : "✗"} ${row.id}: ${cells}${decided.has(row.index) ? "  ← decided" : ""}`);
    } else {
      const r = rule as RuleTrace;
      lines.push(`  ${r.matched ? "✓" : "✗"} rule ${r.id}${r.condition ? "" : " (always)"}${decided.has(r.index) ? "  ← decided" : ""}`);
      if (r.condition) lines.push(...describeConditionTrace(r.condition, "    "));
    }
  }
  // Results from before warnings existed (stored, or built by hand) have none.
  for (const w of result.warnings ?? []) lines.push(`  ⚠ ${w.path}: ${w.message}`);
  return lines.join("\n");
}
