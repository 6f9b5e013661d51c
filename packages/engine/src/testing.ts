/**
 * `@ruleflow/engine/testing`: helpers for hosts and adapter authors:
 * conformance suites that any Storage implementation must pass (the in-memory
 * default and `@ruleflow/postgres` run the same ones). The virtual clock is in
 * the root entry, `@ruleflow/engine`.
 *
 * Conformance suites take the test functions as an argument, so they work with
 * vitest, jest or node:test without this package depending on any of them.
 *
 * @packageDocumentation
 */

export type { TestApi } from "./conformance-kit.js";
export { claimStoreConformance } from "./promotions/claim-store-conformance.js";
export { storageConformance } from "./runtime/storage-conformance.js";
export { rolloutStoreConformance } from "./rollouts/store-conformance.js";
export { seededRandom } from "./testing/random.js";
export { deadLetterConformance } from "./runtime/dead-letter-conformance.js";
export type { DeadLetterHarness, DeadLetterNotifier } from "./runtime/dead-letter-conformance.js";

// Rule tests and coverage (test-suite documents)
export { runTestSuite } from "./trust/tests/run.js";
export type { RunTestSuiteOptions, TestSuiteReport, TestCaseReport, TestMismatch } from "./trust/tests/run.js";
export { mergeCoverage } from "./trust/tests/coverage.js";
export type { CoverageReport, DefinitionCoverage, CoverageItem, CoverageItemKind } from "./trust/tests/coverage.js";
export { explainTestSuiteReport, explainCoverage, toJUnitXml } from "./trust/tests/text.js";
export type { ExplainTestOptions } from "./trust/tests/text.js";
export { toPassRuleflowSuite, toHaveRuleflowCoverage, ruleflowMatchers, expectSuiteToPass } from "./trust/tests/matchers.js";
export type { MatcherResult } from "./trust/tests/matchers.js";
