/**
 * The CommonJS side: a `.cts` file compiled with node16 resolution takes the
 * "require" condition, so these imports read dist/*.d.cts. Types must be the
 * same as the ES module side's.
 */
import { expectTypeOf } from "expect-type";
// in a .cts file these compile to require() calls, so TypeScript resolves them with the "require" condition
import * as engine from "@ruleflow/engine";
import * as testing from "@ruleflow/engine/testing";

expectTypeOf(engine.compileDefinition).returns.toEqualTypeOf<engine.CompiledDefinition>();
expectTypeOf(engine.createRegistry).returns.toEqualTypeOf<engine.DefinitionRegistry>();
expectTypeOf(engine.createEngine).returns.toEqualTypeOf<engine.Engine>();
expectTypeOf<engine.Engine["start"]>().returns.toEqualTypeOf<Promise<engine.InstanceView>>();
expectTypeOf<engine.ValidationError>().toExtend<engine.RuleflowError>();
declare const caught: unknown;
if (engine.isRuleflowError(caught)) expectTypeOf(caught.code).toEqualTypeOf<engine.RuleflowErrorCode>();
declare const compiled: engine.CompiledDefinition;
if (compiled.kind === "ruleset") expectTypeOf(compiled).toEqualTypeOf<engine.CompiledRuleSet>();
expectTypeOf(engine.createVirtualClock).returns.toEqualTypeOf<engine.VirtualClock>();
expectTypeOf<engine.VirtualClock>().toExtend<engine.Clock>();
// /testing's conformance suites take the ports of the root entry's CommonJS declarations
expectTypeOf(testing.storageConformance).toBeCallableWith({} as testing.TestApi, "memory", (): engine.Storage => ({}) as engine.Storage);
expectTypeOf(testing.seededRandom).returns.toEqualTypeOf<() => number>();
// @ts-expect-error a number is not a rule set document
engine.compileRuleSet(42);
