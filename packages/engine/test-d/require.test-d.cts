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
expectTypeOf(testing.createVirtualClock).returns.toEqualTypeOf<testing.VirtualClock>();
expectTypeOf<testing.VirtualClock>().toExtend<engine.Clock>();
// @ts-expect-error a number is not a rule set document
engine.compileRuleSet(42);
