/**
 * Test suites: the kind's structural checks, the runner (subset matching,
 * decimals, arrays, what decided, errors), coverage per kind, the matchers
 * and JUnit XML; property tests of the invariants (a suite made of the
 * engine's own results passes, changing one expected leaf fails exactly that
 * case at that path, coverage is at most 100% and monotone in the cases).
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileDefinition, compileTestSuite, formatIssue, ValidationError, type DecisionResult } from "../src/index.js";
import {
  explainCoverage,
  explainTestSuiteReport,
  expectSuiteToPass,
  mergeCoverage,
  ruleflowMatchers,
  runTestSuite,
  toHaveRuleflowCoverage,
  toJUnitXml,
  toPassRuleflowSuite,
  type TestSuiteReport,
} from "../src/testing.js";
import { matchExpected } from "../src/trust/tests/match.js";

expect.extend(ruleflowMatchers);
declare module "vitest" {
  interface Assertion {
    toPassRuleflowSuite(): void;
    toHaveRuleflowCoverage(minimum: number): void;
  }
}

const examples = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples");
const read = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));
const def = (name: string): unknown => read(join(examples, "definitions", name));

/** An example suite and the definitions it names. */
function exampleSuite(name: string): { suite: Record<string, unknown>; definitions: unknown[] } {
  const file = join(examples, "tests", name);
  const suite = read(file) as Record<string, unknown> & { definitions: string[] };
  return { suite, definitions: suite.definitions.map((p) => read(resolve(dirname(file), p))) };
}

const table = def("rebate-rate.decision-table.json");
const ruleset = def("contract-auto-approval.ruleset.json");
const AT = "2026-03-01T00:00:00+08:00";

function suiteOf(cases: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: "test-suite", id: "t", at: AT, cases, ...extra };
}

function thrown(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

async function rejected(p: Promise<unknown>): Promise<ValidationError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("compileTestSuite", () => {
  it("accepts a suite, filling in defaults", () => {
    const s = compileTestSuite({ id: "x", cases: [{ name: "a", definition: "d", facts: {}, expect: { output: null } }] });
    expect(s).toMatchObject({ kind: "test-suite", id: "x", version: 1 });
    expect(s.document.definitions).toEqual([]);
  });

  it("reports every structural problem of the cases with its JSON path", () => {
    const e = thrown(() =>
      compileTestSuite({
        id: "x",
        cases: [
          { name: "a", definition: "d", facts: {}, expect: {} },
          { name: "a", definition: "d", expect: {} },
          { name: "b", definition: "d" },
          { name: "c", definition: "wf", expect: {}, facts: {}, steps: [{ advance: "PT1H" }] },
        ],
      }),
    );
    expect(e.issues.map(formatIssue)).toEqual([
      'cases[1].name: another case is already named "a"',
      'cases[1].facts: a case with "expect" needs "facts"',
      'cases[2]: a case needs "expect" (with "facts") or "steps"',
      'cases[3].expect: a case has either "expect" (with "facts") or "steps", not both',
      "cases[3].at: a case with \"steps\" needs \"at\" (or the suite's \"at\"): the virtual clock's start",
    ]);
    expect(e.issues.map((i) => i.code)).toEqual(["duplicate_id", "invalid_case", "invalid_case", "invalid_case", "invalid_case"]);
  });

  it("refuses a bad step with the path of the step, and writes its messages in Chinese when asked", () => {
    const e = thrown(() => compileTestSuite({ id: "x", at: AT, cases: [{ name: "a", definition: "wf", steps: [{ wait: 1 }] as never }] }));
    expect(e.issues[0]!.path.slice(0, 4)).toEqual(["cases", 0, "steps", 0]);
    const zh = thrown(() => compileTestSuite({ id: "x", cases: [{ name: "b", definition: "d" }] }, { locale: "zh-CN" }));
    expect(zh.issues.map(formatIssue)).toEqual(['cases[0]: 用例需要 "expect"（连同 "facts"）或 "steps"']);
  });
});

describe("runTestSuite", () => {
  it.each(["rebate-rate", "contract-auto-approval", "spring-case-discount", "customer-qualification"])("the example suite %s passes", async (name) => {
    const { suite, definitions } = exampleSuite(`${name}.test-suite.json`);
    const report = await runTestSuite(suite, definitions);
    expect(report).toPassRuleflowSuite();
    expect(report.counts.failed + report.counts.errors).toBe(0);
  });

  it("a failed case lists each mismatching path with expected and actual, and the rule that decided", async () => {
    const report = await runTestSuite(
      suiteOf([
        {
          name: "wrong rate",
          definition: "rebate-rate",
          facts: { customer: { tier: "B", paymentRate90d: 0.95 }, order: { productLine: "core" } },
          expect: { output: { rate: "0.09" }, matched: ["b-good-payer"], hitPolicy: "first" },
        },
      ]),
      [table],
    );
    expect(report.passed).toBe(false);
    const [c] = report.cases;
    expect(c).toMatchObject({ status: "failed", version: 2, kind: "decision-table", decidedBy: ["rules[2] (b-good-payer)"] });
    expect(c!.mismatches).toEqual([{ path: "output.rate", expected: "0.09", actual: "0.08" }]);
    const text = explainTestSuiteReport(report);
    expect(text).toContain("✗ wrong rate (rebate-rate v2)");
    expect(text).toContain('output.rate\n        expected: "0.09"\n        actual:   "0.08"');
    expect(text).toContain("decided by: rules[2] (b-good-payer)");
    expect(toPassRuleflowSuite(report).pass).toBe(false);
    expect(toPassRuleflowSuite(report).message()).toBe(text);
    expect(() => expectSuiteToPass(report)).toThrow(/wrong rate/);
  });

  it("compares decimals exactly, whatever their spelling, and never as binary floats", () => {
    expect(matchExpected({ r: "0.10" }, { r: "0.1" })).toEqual([]);
    expect(matchExpected({ r: 0.1 }, { r: "0.100" })).toEqual([]);
    expect(matchExpected({ r: "+0.015" }, { r: "0.015" })).toEqual([]);
    expect(matchExpected({ r: 0.1 + 0.2 }, { r: "0.3" })).toHaveLength(1);
    expect(matchExpected({ r: "1" }, { r: true })).toHaveLength(1);
    expect(matchExpected({ r: "A" }, { r: "a" })).toHaveLength(1);
  });

  it("matches a subset of objects, arrays in order and at their length, and a missing key only never", () => {
    expect(matchExpected({ a: { b: 1 } }, { a: { b: 1, c: 2 }, d: 3 })).toEqual([]);
    expect(matchExpected({ a: [1, 2] }, { a: [2, 1] }).map((m) => m.path)).toEqual([["a", 0], ["a", 1]]);
    expect(matchExpected({ a: [1] }, { a: [1, 2] })).toEqual([{ path: ["a"], expected: [1], actual: [1, 2] }]);
    expect(matchExpected({ a: [{ x: 1 }] }, { a: [{ x: 1, y: 2 }] })).toEqual([]);
    expect(matchExpected({ a: null }, {})).toEqual([{ path: ["a"], expected: null, actual: undefined }]);
    expect(matchExpected({ a: null }, { a: null })).toEqual([]);
  });

  it("refuses cases naming a definition, version or expect key the suite does not have, each at its path", async () => {
    const e = await rejected(
      runTestSuite(
        suiteOf([
          { name: "a", definition: "nope", facts: {}, expect: {} },
          { name: "b", definition: "rebate-rate", version: 9, facts: {}, expect: {} },
          { name: "c", definition: "rebate-rate", facts: {}, expect: { outptu: {} } },
          { name: "d", definition: "rebate-rate", steps: [{ advance: "PT1H" }] },
          { name: "e", definition: "rebate-rate", facts: {}, expect: {}, settle: { period: "2026-02" } },
        ]),
        [table],
      ),
    );
    expect(e.message).toMatch(/^Invalid test suite "t": 5 problems/);
    expect(e.issues.map((i) => [formatIssue(i), i.code])).toEqual([
      ['cases[0].definition: no definition "nope" among the suite\'s definitions (rebate-rate)', "unknown_definition"],
      ['cases[1].version: definition "rebate-rate" has no version 9 among the suite\'s definitions (loaded: 2)', "unknown_definition"],
      ['cases[2].expect.outptu: a decision-table result has no "outptu" to expect; expect one of: output, matched, hitPolicy, warnings, version', "unrecognized_key"],
      ['cases[3].steps: a case with "steps" tests a workflow; "rebate-rate" is a decision-table', "invalid_case"],
      ['cases[4].settle: "settle" applies to rebate programs; "rebate-rate" is a decision-table', "invalid_case"],
    ]);
  });

  it("a case that cannot run is an error with the engine's message, not a crash", async () => {
    const { suite, definitions } = exampleSuite("spring-case-discount.test-suite.json");
    const cases = (suite["cases"] as Record<string, unknown>[]).map((c) => ({ ...c, version: undefined }));
    const report = await runTestSuite({ ...suite, cases }, definitions);
    const last = report.cases.at(-1)!;
    expect(last).toMatchObject({ status: "error", version: null });
    expect(last.error).toMatch(/No version of "spring-case-discount" is effective at 2026-05-02T02:00:00.000Z/);
    expect(report.counts).toEqual({ total: 4, passed: 3, failed: 0, errors: 1 });
  });

  it("a promotion case reports the failed conditions as what decided; a rollout case its variant and reason", async () => {
    const rollout = def("renewal-incentive-pilot.rollout.json");
    const report = await runTestSuite(
      suiteOf([
        { name: "short", definition: "spring-case-discount", at: "2026-03-10T10:00:00+08:00", facts: { order: { cases: 10, amount: "10.00" } }, expect: { eligible: true } },
        { name: "off campus", definition: "renewal-incentive-v2", at: "2026-03-20T00:00:00+08:00", facts: { customer: { id: "C-1" }, campus: { id: "XX" } }, expect: { variant: "control", reason: "not-targeted" } },
      ]),
      [def("spring-case-discount.promotion.json"), rollout],
    );
    expect(report.cases[0]).toMatchObject({ status: "failed", decidedBy: ["eligibility (at least 50 cases)"], mismatches: [{ path: "eligible", expected: true, actual: false }] });
    expect(report.cases[1]).toMatchObject({ status: "passed", decidedBy: ["variants[0] (control): not-targeted"] });
    const cov = report.coverage.definitions.find((d) => d.id === "renewal-incentive-v2")!;
    expect(cov.items.map((i) => [i.path, i.reached])).toEqual([["variants[0]", true], ["variants[1]", false], ["variants[2]", false]]);
    expect(report.coverage.definitions.find((d) => d.id === "spring-case-discount")!.reached).toBe(0);
  });

  it("rebate cases: a quote reaches its tier and modifiers; a settle case matches the statement's totals", async () => {
    const definitions = [def("distributor-rebate.v4.rebate.json"), def("rebate-line-bonus.decision-table.json")];
    const lines = readFileSync(join(examples, "data", "orders-2026-02.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);
    const report = await runTestSuite(
      suiteOf([
        {
          name: "quote",
          definition: "distributor-rebate",
          at: "2026-03-02T10:00:00+08:00",
          facts: { customer: { id: "D-9", tier: "A", paymentRate90d: 0.97 }, line: { productLine: "core", netAmount: "100000.00" }, periodToDate: { basis: "1200000.00" } },
          expect: { tier: { index: 1, name: "silver" }, baseRate: "0.04" },
        },
        { name: "settle February", definition: "distributor-rebate", facts: lines, settle: { period: "2026-02" }, expect: { period: "2026-02", partial: false } },
      ]),
      definitions,
    );
    expect(report.cases.map((c) => [c.status, c.mismatches])).toEqual([
      ["passed", []],
      ["passed", []],
    ]);
    expect(report.cases[0]!.decidedBy).toEqual(["tiers[1] (silver)", "modifiers[0] (good payer)"]);
    const cov = report.coverage.definitions.find((d) => d.id === "distributor-rebate")!;
    expect(cov.items.filter((i) => i.kind === "tier").map((i) => i.reached)).toEqual([true, true, expect.any(Boolean)]);
    expect(cov.items.find((i) => i.path === "modifiers[0]")!.reached).toBe(true);
    expect(report.coverage.definitions.map((d) => d.id)).toEqual(["distributor-rebate"]);
    expect(report.coverage.untested).toEqual([{ id: "rebate-line-bonus", version: expect.any(Number), kind: "decision-table" }]);
  });

  it("a workflow case fails at the step whose expectation did not hold, with the instance's route", async () => {
    const { suite, definitions } = exampleSuite("customer-qualification.test-suite.json");
    const cases = suite["cases"] as { steps: unknown[] }[];
    const broken = { ...cases[1]!, name: "broken", steps: [...cases[1]!.steps.slice(0, 4), { expect: { instance: "q", status: "completed" } }] };
    const report = await runTestSuite({ ...suite, cases: [broken] }, definitions);
    expect(report.cases[0]).toMatchObject({
      status: "failed",
      mismatches: [{ path: "steps[4]", expected: { instance: "q", status: "completed" }, message: "q: status is running, expected completed" }],
      decidedBy: ["q: auto-check → countersign"],
    });
    expect(explainTestSuiteReport(report)).toContain("steps[4]: q: status is running, expected completed");
  });

  it("counts the qualification workflow's coverage as by hand: 4 nodes, 4 edges, 3 escalation steps; 7 reached", async () => {
    const { suite, definitions } = exampleSuite("customer-qualification.test-suite.json");
    const report = await runTestSuite(suite, definitions);
    const [wf] = report.coverage.definitions;
    expect(wf).toMatchObject({ id: "customer-qualification", version: 1, reached: 7, total: 11, percent: 63.6 });
    expect(wf!.items.filter((i) => !i.reached).map((i) => i.path)).toEqual([
      "nodes.rejected",
      "nodes.countersign.onReject",
      "nodes.countersign.escalation[1]",
      "nodes.countersign.escalation[2]",
    ]);
    expect(wf!.items.find((i) => i.path === "nodes.countersign.escalation[0]")!.cases).toEqual(["a reminder after 3 business hours"]);
    expect(report.coverage.untested).toEqual([{ id: "contract-auto-approval", version: 3, kind: "ruleset" }]);
    expect(report).not.toHaveRuleflowCoverage(90);
    expect(report).toHaveRuleflowCoverage(63.6);
    expect(toHaveRuleflowCoverage(report, 63.7).message()).toContain("nodes.countersign.escalation[2]");
    expect(explainCoverage(report.coverage)).toContain("customer-qualification v1 (workflow): 63.6% (7/11)");
    expect(explainCoverage(report.coverage, { locale: "zh-CN" })).toContain("未覆盖: escalation nodes.countersign.escalation[1]");
  });

  it("JUnit XML escapes what XML must not hold", async () => {
    const report = await runTestSuite(
      suiteOf([{ name: 'a <b> & "c"\u0001', definition: "contract-auto-approval", facts: { contract: { amount: 1 }, customer: { creditRating: "A" } }, expect: { output: { decision: "<x>" } } }]),
      [ruleset],
    );
    const xml = toJUnitXml([report]);
    expect(xml).toContain('<testcase name="a &lt;b&gt; &amp; &quot;c&quot;\ufffd"');
    expect(xml).toContain('<failure message="output.decision">');
    expect(xml).toContain("&quot;&lt;x&gt;&quot;");
  });
});

// --- properties -------------------------------------------------------------

const tableFacts = fc.record({
  customer: fc.record({ tier: fc.constantFrom("A", "B", "C"), paymentRate90d: fc.integer({ min: 0, max: 100 }).map((n) => n / 100) }),
  order: fc.record({ productLine: fc.constantFrom("new", "core") }),
});
const compiledTable = compileDefinition(table) as { evaluate(facts: unknown, o: { at: string }): DecisionResult };

/** A case whose expect is the engine's own result (output, matched, hitPolicy). */
function caseFromEngine(facts: unknown, i: number): Record<string, unknown> {
  const r = compiledTable.evaluate(facts, { at: AT });
  return { name: `case ${i}`, definition: "rebate-rate", facts, expect: { output: r.output, matched: r.matched.map((m) => m.id), hitPolicy: r.hitPolicy } };
}

/** Every leaf path of a JSON value. */
function leaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.length ? v.flatMap((x, i) => leaves(x, [...path, i])) : [path];
  if (typeof v === "object" && v !== null) return Object.keys(v).length ? Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k])) : [path];
  return [path];
}

/** A value that differs from `v` (never the same number in another spelling). */
function changed(v: unknown): unknown {
  if (typeof v === "string") return `${v}x`;
  if (typeof v === "number") return v + 1;
  if (typeof v === "boolean") return !v;
  return "changed";
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
  copy[head!] = setAt(copy[head!], rest, value);
  return copy;
}

describe("properties", () => {
  test.prop([fc.array(tableFacts, { minLength: 1, maxLength: 6 })], { numRuns: 40 })("a suite made of the engine's own results always passes", async (facts) => {
    const report = await runTestSuite(suiteOf(facts.map(caseFromEngine)), [table]);
    expect(report.passed).toBe(true);
    expect(report.cases.every((c) => c.mismatches.length === 0)).toBe(true);
  });

  test.prop([fc.array(tableFacts, { minLength: 1, maxLength: 5 }), fc.nat(), fc.nat()], { numRuns: 60 })(
    "changing any one expected leaf makes exactly that case fail, at that path",
    async (facts, pick, leafPick) => {
      const cases = facts.map(caseFromEngine);
      const k = pick % cases.length;
      const expected = cases[k]!["expect"];
      const all = leaves(expected);
      const path = all[leafPick % all.length]!;
      const old = path.reduce<unknown>((v, p) => (v as Record<string | number, unknown>)[p], expected);
      cases[k] = { ...cases[k], expect: setAt(expected, path, changed(old)) };
      const report = await runTestSuite(suiteOf(cases), [table]);
      expect(report.cases.filter((c) => c.status !== "passed").map((c) => c.index)).toEqual([k]);
      expect(report.cases[k]!.mismatches.map((m) => m.path)).toEqual([path.length ? path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".").replace(/\.\[/g, "[") : "(root)"]);
    },
  );

  test.prop([fc.array(tableFacts, { minLength: 0, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 })], { numRuns: 40 })(
    "coverage never exceeds 100% and grows with the set of cases",
    async (facts, keep) => {
      const all = facts.map(caseFromEngine);
      const some = all.filter((_, i) => keep[i]);
      const run = async (cases: unknown[]): Promise<TestSuiteReport | undefined> => (cases.length ? runTestSuite(suiteOf(cases), [table]) : undefined);
      const [big, small] = [await run(all), await run(some)];
      for (const r of [big, small]) {
        if (!r) continue;
        expect(r.coverage.percent).toBeLessThanOrEqual(100);
        expect(r.coverage.reached).toBeLessThanOrEqual(r.coverage.total);
        for (const d of r.coverage.definitions) expect(d.percent).toBeLessThanOrEqual(100);
      }
      if (big && small) {
        const reachedBig = new Set(big.coverage.definitions.flatMap((d) => d.items.filter((i) => i.reached).map((i) => i.path)));
        for (const d of small.coverage.definitions) for (const i of d.items) if (i.reached) expect(reachedBig.has(i.path)).toBe(true);
        expect(small.coverage.reached).toBeLessThanOrEqual(big.coverage.reached);
        // merging the two is the bigger one
        expect(mergeCoverage([small.coverage, big.coverage]).reached).toBe(big.coverage.reached);
      }
    },
  );
});
