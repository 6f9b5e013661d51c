/** Small helpers shared by the engine test suites. */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { compileExpression, formatIssue, isRuleflowError, validateDefinition, type DecisionResult, type EvaluationResult, type RuleflowError } from "../src/index.js";

/** Run `f` and return what it threw; fails the test when it returns normally. */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  expect.fail("expected an error to be thrown");
}

/** Run `f`, expect a RuleflowError with `code`, and return it typed as `T`. */
export function ruleflowError<T extends RuleflowError = RuleflowError>(code: RuleflowError["code"], f: () => unknown): T {
  const e = thrown(f);
  expect(isRuleflowError(e), `expected a RuleflowError, got ${String(e)}`).toBe(true);
  expect((e as RuleflowError).code).toBe(code);
  return e as T;
}

/** Narrow a registry result to a rule set or decision table result. */
export function asDecision(result: EvaluationResult): DecisionResult {
  expect(["ruleset", "decision-table"]).toContain(result.kind);
  return result as DecisionResult;
}

/** Compile and evaluate an expression in one step. */
export function evaluate(source: string, facts: unknown = {}, at = "2026-03-01T00:00:00+08:00"): unknown {
  return compileExpression(source).evaluate(facts, { at });
}

const here = dirname(fileURLToPath(import.meta.url));

/** The seed example definitions of the rules core (rule sets and decision tables), by id. */
export function loadExampleDefinitions(kinds: readonly string[] = ["ruleset", "decision-table"]): Map<string, Record<string, unknown>> {
  const dir = join(here, "..", "..", "examples", "definitions");
  const out = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const doc = JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
    if (kinds.includes(String(doc["kind"]))) out.set(String(doc["id"]), doc);
  }
  return out;
}

/** Format epoch milliseconds as ISO-8601 with the given offset in minutes (e.g. +480 for +08:00). */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${local}${sign}${hh}:${mm}`;
}

/** The issues of a document that must be invalid, each as `path: message` in the locale. */
export function invalidIssueLines(doc: unknown, locale: "en" | "zh-CN"): string[] {
  const r = validateDefinition(doc, { locale });
  expect(r.ok).toBe(false);
  return r.issues.map(formatIssue);
}
