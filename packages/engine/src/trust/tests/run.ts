/**
 * Run a test suite: each case evaluates its definition against its facts
 * (or settles a rebate period, or drives a workflow through scenario steps
 * on the virtual clock) and compares the result with its `expect`; the
 * report says per case what differed, with what decided, and the suite's
 * coverage.
 */
import { formatPath, isRuleflowError, ValidationError, type Issue } from "../../core/errors.js";
import type { CompiledDefinition } from "../../definitions.js";
import { catalogueIssue, localizeIssues } from "../../i18n/issues.js";
import { resolveLocale, type Locale } from "../../i18n/locale.js";
import { testSuiteMessages } from "../../i18n/messages/test-suites.js";
import { settleRebates } from "../../rebates/settle.js";
import type { CompiledRebate } from "../../rebates/program.js";
import type { RebateStatement } from "../../rebates/statement.js";
import type { RebateQuote } from "../../rebates/quote.js";
import type { DecisionResult } from "../../decisions/types.js";
import type { PromotionResult } from "../../promotions/promotion.js";
import type { RolloutResult } from "../../rollouts/types.js";
import { createRegistry, type DefinitionRegistry } from "../../registry.js";
import type { AuditRecord } from "../../runtime/ports.js";
import type { InstanceView } from "../../runtime/records.js";
import type { TestCase, TestSuiteDefinition, TestSuiteDocument } from "../../schema/test-suite.js";
import { runScenario } from "../../simulation/run-scenario.js";
import { compileTestSuite } from "../../test-suites/kind.js";
import { CoverageTracker, workflowReach, type CoverageReport } from "./coverage.js";
import { matchExpected } from "./match.js";
import { decidedBy, EXPECT_KEYS, modifierIndexes, viewOf, type ExpectKind } from "./views.js";

/** One place where a case's result differs from its `expect`. */
export interface TestMismatch {
  /** Where in `expect` (`output.rate`, `failed[0].path`; for steps `steps[4]`). */
  path: string;
  expected: unknown;
  /** What the result had there; absent when it had nothing. */
  actual?: unknown;
  /** Why, for a step of a workflow case (`q2: status is running, expected completed`). */
  message?: string | undefined;
}

/** The outcome of one case. */
export interface TestCaseReport {
  name: string;
  /** Its position in the suite's `cases`. */
  index: number;
  definition: string;
  /** The version tested; null when none could be picked. */
  version: number | null;
  /** The definition's kind (`rebate-statement` for a rebate case with `settle`); null when unknown. */
  kind: string | null;
  /** `error`: the case could not run (no effective version, an evaluation error). */
  status: "passed" | "failed" | "error";
  mismatches: TestMismatch[];
  error?: string | undefined;
  /**
   * The trace path of what decided, as paths in the definition: `rules[0] (small-and-a-credit)`,
   * `tiers[1] (silver)`, `eligibility.all[2]`, `variants[1] (treatment): assigned`; for a workflow
   * each instance's route (`q1: auto-check → countersign → rejected`) and the escalation steps that fired.
   */
  decidedBy: string[];
}

/** The outcome of a suite. */
export interface TestSuiteReport {
  suite: string;
  version: number;
  name?: string | undefined;
  /** True when every case passed. */
  passed: boolean;
  counts: { total: number; passed: number; failed: number; errors: number };
  cases: TestCaseReport[];
  coverage: CoverageReport;
}

/** Options of {@link runTestSuite}. */
export interface RunTestSuiteOptions {
  /** The language of validation messages and of promotions' near-miss hints: `en` (default) or `zh-CN`. */
  locale?: Locale | (string & {}) | undefined;
}

const EVALUABLE = new Set(["ruleset", "decision-table", "promotion", "rebate", "rollout"]);

/** The problems of cases against the loaded definitions (unknown ids and versions, kinds, expect keys). */
function caseIssues(doc: TestSuiteDocument, registry: DefinitionRegistry): Issue[] {
  const issues: Issue[] = [];
  const known = registry.ids();
  doc.cases.forEach((c, i) => {
    const versions = registry.versions(c.definition);
    if (versions.length === 0) {
      issues.push(catalogueIssue(testSuiteMessages, "unknownDefinition", ["cases", i, "definition"], { id: c.definition, known: known.join(", ") || "-" }, "unknown_definition"));
      return;
    }
    if (c.version !== undefined && !versions.some((v) => v.version === c.version)) {
      issues.push(
        catalogueIssue(testSuiteMessages, "unknownVersion", ["cases", i, "version"], { id: c.definition, version: c.version, known: versions.map((v) => v.version).join(", ") }, "unknown_definition"),
      );
    }
    const kind = versions[0]!.kind;
    if (c.steps !== undefined) {
      if (kind !== "workflow") issues.push(catalogueIssue(testSuiteMessages, "stepsNeedWorkflow", ["cases", i, "steps"], { id: c.definition, kind }, "invalid_case"));
      return;
    }
    if (!EVALUABLE.has(kind)) {
      const hint = kind === "workflow" ? "workflowNeedsSteps" : "notEvaluable";
      const hintText = catalogueIssue(testSuiteMessages, hint, [], {}, "invalid_case").message;
      issues.push(catalogueIssue(testSuiteMessages, "notTestable", ["cases", i, "expect"], { kind, hint: hintText }, "invalid_case"));
      return;
    }
    if (c.settle !== undefined && kind !== "rebate") {
      issues.push(catalogueIssue(testSuiteMessages, "settleNeedsRebate", ["cases", i, "settle"], { id: c.definition, kind }, "invalid_case"));
      return;
    }
    const expectKind: ExpectKind = c.settle !== undefined ? "rebate-statement" : (kind as ExpectKind);
    const allowed = EXPECT_KEYS[expectKind];
    for (const key of Object.keys(c.expect ?? {})) {
      if (!allowed.includes(key)) {
        issues.push(catalogueIssue(testSuiteMessages, "unknownExpectKey", ["cases", i, "expect", key], { kind: expectKind, key: JSON.stringify(key), keys: allowed.join(", ") }, "unrecognized_key"));
      }
    }
  });
  return issues;
}

const toMismatch = (m: ReturnType<typeof matchExpected>[number]): TestMismatch => ({
  path: formatPath(m.path),
  expected: m.expected,
  ...(m.actual === undefined ? {} : { actual: m.actual }),
  ...(m.message === undefined ? {} : { message: m.message }),
});

/** The order lines of a settle case: `facts` as an array, or its `lines`. */
function linesOf(facts: unknown): unknown[] {
  if (Array.isArray(facts)) return facts;
  const lines = typeof facts === "object" && facts !== null ? (facts as { lines?: unknown }).lines : undefined;
  return Array.isArray(lines) ? lines : [facts];
}

/** Record what one evaluation reached. */
function reachOf(tracker: CoverageTracker, kind: ExpectKind, def: CompiledDefinition, result: unknown, name: string, registry: DefinitionRegistry): void {
  switch (kind) {
    case "ruleset":
    case "decision-table":
      for (const m of (result as DecisionResult).matched) tracker.reach(def, `rules[${m.index}]`, name);
      return;
    case "promotion": {
      const r = result as PromotionResult;
      if (!r.eligible) return;
      const b = (def.document as { benefit: unknown }).benefit;
      if (Array.isArray(b)) b.forEach((_, i) => tracker.reach(def, `benefit[${i}]`, name));
      else tracker.reach(def, "benefit", name);
      return;
    }
    case "rebate": {
      const q = result as RebateQuote;
      reachTiers(tracker, def, q.tier.index, name);
      for (const i of modifierIndexes(def, q.lines.flatMap((l) => (l.excluded === undefined ? l.modifiers.map((m) => m.name) : [])))) tracker.reach(def, `modifiers[${i}]`, name);
      return;
    }
    case "rebate-statement": {
      const s = result as RebateStatement;
      const byVersion = (v: number): CompiledDefinition | undefined => registry.versions(def.id).find((d) => d.version === v);
      for (const a of s.accounts) {
        for (const t of a.tiers) {
          const d = byVersion(t.version);
          if (d) reachTiers(tracker, d, t.reached.index, name);
        }
      }
      for (const line of s.lines) {
        const d = byVersion(line.version);
        if (d && line.excluded === undefined) for (const i of modifierIndexes(d, line.modifiers.map((m) => m.name))) tracker.reach(d, `modifiers[${i}]`, name);
      }
      return;
    }
    case "rollout": {
      const r = result as RolloutResult;
      const i = (def.document as { variants: { id: string }[] }).variants.findIndex((v) => v.id === r.variant);
      if (i >= 0) tracker.reach(def, `variants[${i}]`, name);
      return;
    }
  }
}

/** The reached tier, and under an incremental ladder every band below it. */
function reachTiers(tracker: CoverageTracker, def: CompiledDefinition, index: number, name: string): void {
  if (index < 0) return;
  const incremental = (def.document as { mode?: string }).mode === "incremental";
  for (let i = incremental ? 0 : index; i <= index; i++) tracker.reach(def, `tiers[${i}]`, name);
}

function runEvaluateCase(c: TestCase, index: number, at: string | undefined, registry: DefinitionRegistry, tracker: CoverageTracker, locale: Locale): TestCaseReport {
  const base = { name: c.name, index, definition: c.definition };
  let def: CompiledDefinition;
  try {
    def = c.version !== undefined ? registry.versions(c.definition).find((d) => d.version === c.version)! : registry.resolve(c.definition, at);
  } catch (e) {
    if (!isRuleflowError(e)) throw e;
    return { ...base, version: null, kind: null, status: "error", mismatches: [], error: e.message, decidedBy: [] };
  }
  const kind: ExpectKind = c.settle !== undefined ? "rebate-statement" : (def.kind as ExpectKind);
  let result: unknown;
  try {
    if (c.settle !== undefined) {
      const program = (c.version !== undefined ? [def] : registry.versions(c.definition)) as CompiledRebate[];
      result = settleRebates({
        program,
        lines: linesOf(c.facts),
        period: c.settle.period,
        at: c.settle.at ?? at,
        previous: (c.settle.previous ?? []) as unknown as RebateStatement[],
        priorBasis: c.settle.priorBasis,
        definitions: registry,
      });
      const priced = new Set((result as RebateStatement).versions.map((v) => v.version));
      for (const d of registry.versions(c.definition)) if (priced.has(d.version) || d === def) tracker.target(d);
    } else {
      const evaluable = def as Extract<CompiledDefinition, { evaluate: (facts: unknown, options?: never) => unknown }>;
      result = (evaluable.evaluate as (facts: unknown, options: object) => unknown)(c.facts, { at, trace: true, locale, definitions: registry });
      tracker.target(def);
    }
  } catch (e) {
    if (!isRuleflowError(e)) throw e;
    tracker.target(def);
    return { ...base, version: def.version, kind, status: "error", mismatches: [], error: e.message, decidedBy: [] };
  }
  reachOf(tracker, kind, def, result, c.name, registry);
  const mismatches = matchExpected(c.expect ?? {}, viewOf(kind, result)).map(toMismatch);
  return { ...base, version: def.version, kind, status: mismatches.length ? "failed" : "passed", mismatches, decidedBy: decidedBy(kind, def, result) };
}

async function runStepsCase(
  c: TestCase,
  index: number,
  doc: TestSuiteDocument,
  at: string,
  definitions: readonly unknown[],
  registry: DefinitionRegistry,
  tracker: CoverageTracker,
): Promise<TestCaseReport> {
  const base = { name: c.name, index, definition: c.definition };
  let def: CompiledDefinition;
  try {
    def = c.version !== undefined ? registry.versions(c.definition).find((d) => d.version === c.version)! : registry.resolve(c.definition, at);
  } catch (e) {
    if (!isRuleflowError(e)) throw e;
    return { ...base, version: null, kind: "workflow", status: "error", mismatches: [], error: e.message, decidedBy: [] };
  }
  tracker.target(def);
  const directory = c.directory ?? doc.directory;
  const scenario = {
    kind: "scenario",
    id: doc.id,
    start: at,
    ...(c.calendar === undefined ? {} : { calendar: c.calendar }),
    ...(directory === undefined ? {} : { directory }),
    ...(c.handlers === undefined ? {} : { handlers: c.handlers }),
    steps: c.steps,
  };
  const seen: { alias: string; view: InstanceView; audit: AuditRecord[] }[] = [];
  let report;
  try {
    report = await runScenario(scenario, definitions, {
      inspect: async (engine, soFar) => {
        for (const [alias, { id }] of Object.entries(soFar.instances)) {
          const view = await engine.get(id);
          if (view) seen.push({ alias, view, audit: await engine.audit(id) });
        }
      },
    });
  } catch (e) {
    if (!isRuleflowError(e)) throw e;
    return { ...base, version: def.version, kind: "workflow", status: "error", mismatches: [], error: e.message, decidedBy: [] };
  }
  const trace: string[] = [];
  for (const { alias, view, audit } of seen) {
    const wf = registry.versions(view.definitionId).find((d) => d.version === view.definitionVersion);
    if (wf?.kind !== "workflow") continue;
    const { paths, route } = workflowReach(wf.document, view, audit);
    tracker.target(wf);
    for (const p of paths) tracker.reach(wf, p, c.name);
    const escalations = [...paths].filter((p) => p.includes(".escalation["));
    trace.push(`${alias}: ${route.join(" → ")}${escalations.length ? ` (${escalations.join(", ")})` : ""}`);
  }
  const mismatches = report.failures.map((f): TestMismatch => {
    const step = c.steps![f.step] as Record<string, unknown> | undefined;
    return { path: `steps[${f.step}]`, expected: step && "expect" in step ? step["expect"] : step, message: f.message };
  });
  return { ...base, version: def.version, kind: "workflow", status: mismatches.length ? "failed" : "passed", mismatches, decidedBy: trace };
}

/**
 * Run a test suite.
 *
 * @param suite - the suite document (`kind: "test-suite"`; checked as `compileTestSuite` checks it)
 * @param definitions - the documents it tests (a CLI loads the files named in `suite.definitions`,
 *   relative to the suite file), including those the tested ones use (a workflow's rule set, a rebate's table)
 * @param options - `locale` of messages and near-miss hints
 * @returns per case passed, failed (each mismatching path with expected and actual, and what decided)
 *   or error; and the coverage per definition
 * @throws {@link ValidationError} when the suite or a definition is invalid, or a case names a
 *   definition, version or `expect` key the definitions do not have (each with its JSON path)
 * @example
 * ```ts
 * const report = await runTestSuite(suite, [autoApproval]);
 * report.passed; // true when every case passed
 * report.coverage.percent; // e.g. 100
 * ```
 */
export async function runTestSuite(suite: unknown, definitions: readonly unknown[], options: RunTestSuiteOptions = {}): Promise<TestSuiteReport> {
  const locale = resolveLocale(options.locale);
  const doc = compileTestSuite(suite as TestSuiteDefinition, { locale }).document;
  const registry = createRegistry(definitions, { locale });
  const issues = caseIssues(doc, registry);
  if (issues.length) throw new ValidationError(localizeIssues(issues, locale), locale === "zh-CN" ? `测试套件 "${doc.id}" ` : `test suite "${doc.id}"`, locale);
  const tracker = new CoverageTracker();
  const cases: TestCaseReport[] = [];
  for (let i = 0; i < doc.cases.length; i++) {
    const c = doc.cases[i]!;
    const at = c.at ?? doc.at;
    cases.push(c.steps !== undefined ? await runStepsCase(c, i, doc, at!, definitions, registry, tracker) : runEvaluateCase(c, i, at, registry, tracker, locale));
  }
  const all = registry.ids().flatMap((id) => registry.versions(id));
  const count = (s: TestCaseReport["status"]): number => cases.filter((c) => c.status === s).length;
  const counts = { total: cases.length, passed: count("passed"), failed: count("failed"), errors: count("error") };
  return {
    suite: doc.id,
    version: doc.version,
    ...(doc.name === undefined ? {} : { name: doc.name }),
    passed: counts.passed === counts.total,
    counts,
    cases,
    coverage: tracker.report(all),
  };
}
