/**
 * The test-suite kind: cases that check definitions before they go live
 * (`runTestSuite` of `@ruleflow/engine/testing` runs them). Its spec for the
 * generic path, and its typed compile function. Compiling checks the suite's
 * own structure only: the definitions it names are files a host reads, and
 * whether each case fits its definition is checked when the suite runs.
 */
import type { CompileContext } from "../core/context.js";
import type { KindSpec } from "../core/kind.js";
import { catalogueIssue } from "../i18n/issues.js";
import { testSuiteMessages } from "../i18n/messages/test-suites.js";
import { compileKind, type KindOptions } from "../kinds/pipeline.js";
import { testSuiteSchema, type TestSuiteDefinition, type TestSuiteDocument } from "../schema/test-suite.js";

/** A validated test suite (run it with `runTestSuite`). */
export interface CompiledTestSuite {
  readonly kind: "test-suite";
  readonly id: string;
  readonly version: number;
  readonly document: TestSuiteDocument;
}

/** Every problem of a suite's structure, into `ctx.issues`. */
function checkSuite(doc: TestSuiteDocument, ctx: CompileContext): void {
  const names = new Set<string>();
  doc.cases.forEach((c, i) => {
    const at = (field: string): (string | number)[] => ["cases", i, field];
    if (names.has(c.name)) ctx.issues.push(catalogueIssue(testSuiteMessages, "duplicateCase", at("name"), { name: c.name }, "duplicate_id"));
    names.add(c.name);
    if (c.steps !== undefined) {
      if (c.expect !== undefined) ctx.issues.push(catalogueIssue(testSuiteMessages, "expectOrSteps", at("expect"), {}, "invalid_case"));
      if (c.settle !== undefined) ctx.issues.push(catalogueIssue(testSuiteMessages, "stepsNoSettle", at("settle"), {}, "invalid_case"));
      if (c.at === undefined && doc.at === undefined) ctx.issues.push(catalogueIssue(testSuiteMessages, "stepsNeedAt", at("at"), {}, "invalid_case"));
    } else if (c.expect === undefined) {
      ctx.issues.push(catalogueIssue(testSuiteMessages, "needsExpectOrSteps", ["cases", i], {}, "invalid_case"));
    } else if (c.facts === undefined) {
      ctx.issues.push(catalogueIssue(testSuiteMessages, "needsFacts", at("facts"), {}, "invalid_case"));
    }
  });
}

/** The `test-suite` kind. @internal */
export const testSuiteKind: KindSpec<"test-suite", typeof testSuiteSchema, CompiledTestSuite> = {
  kind: "test-suite",
  schema: testSuiteSchema,
  compile: (doc, ctx) => {
    checkSuite(doc, ctx);
    return { kind: "test-suite", id: doc.id, version: doc.version, document: doc };
  },
  noun: "test suite",
  docs: { page: "docs/testing.md" },
};

/**
 * Validate a test-suite document (`kind` may be omitted): its shape, unique
 * case names, and that each case has either `expect` (with `facts`) or
 * `steps` (with a start time). The definitions it names are files a host
 * reads; whether each case fits its definition is checked by `runTestSuite`.
 *
 * @param input - a test-suite document, usually parsed JSON
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
 * @returns the validated suite, with defaults filled in
 * @throws {@link ValidationError} listing every problem with its JSON path
 * @example
 * ```ts
 * const suite = compileTestSuite({ id: "auto-approval-tests", definitions: ["contract-auto-approval.ruleset.json"],
 *   cases: [{ name: "small A-rated contract", definition: "contract-auto-approval", at: "2026-03-01T00:00:00+08:00",
 *             facts: { contract: { amount: 120000 }, customer: { creditRating: "A" } },
 *             expect: { output: { decision: "auto-approve" } } }] });
 * suite.document.cases.length; // 1
 * ```
 * @see docs/testing.md
 */
export function compileTestSuite(input: TestSuiteDefinition | Omit<TestSuiteDefinition, "kind">, options?: KindOptions): CompiledTestSuite {
  return compileKind(testSuiteKind, input, options);
}
