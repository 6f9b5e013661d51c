/** Turn zod issues into Ruleflow {@link Issue}s with plain-language messages. */
import type { z } from "zod";
import type { Issue } from "../errors.js";

type ZodIssue = z.core.$ZodIssue;

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Score a union branch: lower is a better match for the input. */
function branchScore(issues: readonly ZodIssue[]): number {
  let score = 0;
  for (const i of issues) {
    if (i.code === "unrecognized_keys" && i.path.length === 0) score += 100 * i.keys.length;
    else if (i.code === "invalid_type" && i.path.length === 1 && i.input === undefined) score += 10;
    else score += 1;
  }
  return score;
}

function convert(issue: ZodIssue, prefix: readonly PropertyKey[], out: Issue[]): void {
  const path = [...prefix, ...issue.path].map((p) => (typeof p === "symbol" ? String(p) : p));
  switch (issue.code) {
    case "invalid_union": {
      const branches = issue.errors;
      let best: readonly ZodIssue[] | undefined;
      let bestScore = Infinity;
      for (const b of branches) {
        const s = branchScore(b);
        if (s < bestScore) {
          bestScore = s;
          best = b;
        }
      }
      const empty = typeof issue.input === "object" && issue.input !== null && !Array.isArray(issue.input) && Object.keys(issue.input).length === 0;
      if (best && bestScore < 100 && !empty) {
        for (const sub of best) convert(sub, path, out);
      } else {
        out.push({ code: "invalid_union", path, message: `${issue.message}, got ${show(issue.input)}` });
      }
      return;
    }
    case "unrecognized_keys":
      for (const key of issue.keys) {
        out.push({ code: "unrecognized_key", path: [...path, key], message: "unknown field; check the spelling or remove it" });
      }
      return;
    case "invalid_type": {
      const expected = String(issue.expected);
      const message =
        issue.input === undefined
          ? `is required (expected ${article(expected)})`
          : `expected ${article(expected)}, got ${show(issue.input)}`;
      out.push({ code: "invalid_type", path, message });
      return;
    }
    case "invalid_value": {
      const values = issue.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
      const expected = values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${values.join(", ")}`;
      const message =
        issue.input === undefined ? `is required (expected ${expected})` : `expected ${expected}, got ${show(issue.input)}`;
      out.push({ code: "invalid_value", path, message });
      return;
    }
    case "too_small":
    case "too_big": {
      const custom = !issue.message.startsWith("Too ");
      let message = issue.message;
      if (!custom) {
        const bound = issue.code === "too_small" ? "at least" : "at most";
        const limit = issue.code === "too_small" ? issue.minimum : issue.maximum;
        message =
          issue.origin === "array"
            ? `expected ${bound} ${String(limit)} item(s)`
            : issue.origin === "string"
              ? `expected ${bound} ${String(limit)} character(s)`
              : `expected a number ${issue.code === "too_small" ? ">" : "<"}${issue.inclusive ? "=" : ""} ${String(limit)}`;
      }
      out.push({ code: issue.code, path, message: `${message}, got ${show(issue.input)}` });
      return;
    }
    case "custom":
      out.push({ code: String(issue.params?.["code"] ?? "invalid_value"), path, message: issue.message });
      return;
    default:
      out.push({ code: issue.code, path, message: `${issue.message}, got ${show(issue.input)}` });
  }
}

/** Convert zod issues (parsed with `reportInput: true`) into Ruleflow issues. */
export function fromZodIssues(issues: readonly ZodIssue[], prefix: readonly PropertyKey[] = []): Issue[] {
  const out: Issue[] = [];
  for (const i of issues) convert(i, prefix, out);
  return out;
}
