/**
 * Matchers for test runners, as plain functions: each returns
 * `{ pass, message }` the way vitest's and jest's `expect.extend` want
 * (`message` a function), so the engine depends on neither.
 */
import { explainCoverage, explainTestSuiteReport } from "./text.js";
import type { TestSuiteReport } from "./run.js";

/** What a matcher returns: whether it passed, and the message for a failure (or for `.not`). */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function isReport(v: unknown): v is TestSuiteReport {
  return typeof v === "object" && v !== null && Array.isArray((v as { cases?: unknown }).cases) && typeof (v as { coverage?: unknown }).coverage === "object";
}

const notAReport = (name: string, v: unknown): MatcherResult => ({
  pass: false,
  message: () => `${name} expects the report runTestSuite returned, got ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v}`,
});

/**
 * Passes when every case of the suite passed; the failure message is the
 * suite's report as text (expected against actual, what decided).
 *
 * @example
 * ```ts
 * import { expect } from "vitest";
 * import { runTestSuite, toPassRuleflowSuite } from "@ruleflow/engine/testing";
 * expect.extend({ toPassRuleflowSuite });
 * expect(await runTestSuite(suite, definitions)).toPassRuleflowSuite();
 * ```
 */
export function toPassRuleflowSuite(received: unknown): MatcherResult {
  if (!isReport(received)) return notAReport("toPassRuleflowSuite", received);
  const report = received;
  return {
    pass: report.passed,
    message: () => (report.passed ? `expected suite ${report.suite} to fail, but all ${report.counts.total} cases passed` : explainTestSuiteReport(report)),
  };
}

/**
 * Passes when the suite's total coverage is at least `minimum` percent; the
 * failure message lists what no case reached.
 *
 * @example
 * ```ts
 * expect.extend({ toHaveRuleflowCoverage });
 * expect(report).toHaveRuleflowCoverage(90);
 * ```
 */
export function toHaveRuleflowCoverage(received: unknown, minimum: number): MatcherResult {
  if (!isReport(received)) return notAReport("toHaveRuleflowCoverage", received);
  const c = received.coverage;
  // exact: reached / total >= minimum / 100, without rounding
  const pass = c.total === 0 || c.reached * 100 >= minimum * c.total;
  return {
    pass,
    message: () => (pass ? `expected coverage below ${minimum}%, got ${c.percent}%` : `coverage ${c.percent}% is below ${minimum}%\n${explainCoverage(c)}`),
  };
}

/** Both matchers, for `expect.extend(ruleflowMatchers)`. */
export const ruleflowMatchers = { toPassRuleflowSuite, toHaveRuleflowCoverage } as const;

/**
 * Throw unless every case passed, with the report as text as the error's
 * message: for any test runner (`node:test`, mocha, a script).
 *
 * @throws Error naming each failed case, expected against actual
 */
export function expectSuiteToPass(report: TestSuiteReport): void {
  const r = toPassRuleflowSuite(report);
  if (!r.pass) throw new Error(r.message());
}
