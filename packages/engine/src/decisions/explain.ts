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

const show = (v: unknown): string => (v === undefined ? "missing" : JSON.stringify(v));

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
      return [`${indent}${mark} ${name}${trace.expr}${facts ? ` (${facts})` : ""} → ${show(trace.actual)}`];
    }
    case "fact": {
      const actual = trace.missing ? "is missing" : `is ${show(trace.actual)}`;
      const expected = trace.expectedFact ? `${trace.expectedFact} (${show(trace.expected)})` : show(trace.expected);
      return [`${indent}${mark} ${name}${trace.fact} ${actual}, expected ${OP_WORDS[trace.op] ?? trace.op} ${expected}`];
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
  lines.push(`${result.kind} ${result.id} v${result.version} (${result.hitPolicy}) at ${result.at}: ${winner} → ${JSON.stringify(result.output)}`);
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
  return lines.join("\n");
}
