/**
 * Type tests of `@ruleflow/engine/testing` against the built declarations
 * (see engine.test-d.ts). The helpers must fit the ports of the root entry:
 * one set of declarations, not two copies of the same types.
 */
import { expectTypeOf } from "expect-type";
import { compileTestSuite, createVirtualClock, type Clock, type CompiledTestSuite, type Storage, type VirtualClock } from "@ruleflow/engine";
import type { ClaimStore } from "@ruleflow/engine/promotions";
import type { RolloutStore } from "@ruleflow/engine/rollouts";
import {
  claimStoreConformance,
  expectSuiteToPass,
  rolloutStoreConformance,
  runTestSuite,
  storageConformance,
  toHaveRuleflowCoverage,
  toPassRuleflowSuite,
  type MatcherResult,
  type TestApi,
  type TestSuiteReport,
} from "@ruleflow/engine/testing";

expectTypeOf(createVirtualClock).returns.toEqualTypeOf<VirtualClock>();
expectTypeOf(createVirtualClock).toBeCallableWith("2026-02-10T09:00:00+08:00");
expectTypeOf(createVirtualClock).toBeCallableWith(0);
expectTypeOf(createVirtualClock).toBeCallableWith(new Date());
// @ts-expect-error a start instant is required
createVirtualClock();
// the virtual clock is a Clock the engine accepts
expectTypeOf<VirtualClock>().toExtend<Clock>();

// conformance suites take the test functions and a factory of the port under test
expectTypeOf(storageConformance).toBeCallableWith({} as TestApi, "memory", (): Storage => ({}) as Storage);
expectTypeOf(claimStoreConformance).toBeCallableWith({} as TestApi, async (): Promise<ClaimStore> => ({}) as ClaimStore);
expectTypeOf(rolloutStoreConformance).toBeCallableWith({} as TestApi, (): RolloutStore => ({}) as RolloutStore);
expectTypeOf(storageConformance).returns.toBeVoid();
// @ts-expect-error the factory must make a Storage
storageConformance({} as TestApi, "wrong", () => 42);

// rule tests: the runner, its report, and matchers shaped for expect.extend
expectTypeOf(compileTestSuite).returns.toEqualTypeOf<CompiledTestSuite>();
expectTypeOf(runTestSuite).returns.resolves.toEqualTypeOf<TestSuiteReport>();
expectTypeOf(runTestSuite).toBeCallableWith({}, [], { locale: "zh-CN" });
expectTypeOf(toPassRuleflowSuite).returns.toEqualTypeOf<MatcherResult>();
expectTypeOf<MatcherResult["message"]>().returns.toBeString();
expectTypeOf(toHaveRuleflowCoverage).toBeCallableWith({} as TestSuiteReport, 90);
expectTypeOf(expectSuiteToPass).returns.toBeVoid();
expectTypeOf<TestSuiteReport["cases"][number]["status"]>().toEqualTypeOf<"passed" | "failed" | "error">();
