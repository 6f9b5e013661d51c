/**
 * Type tests of `@ruleflow/engine` as an app sees it: compiled by
 * `node scripts/check-types-dist.mjs` against the built dist/*.d.ts (ES module
 * resolution, node16 and bundler), never against src/. Nothing here runs.
 */
import { expectTypeOf } from "expect-type";
import {
  compileDefinition,
  compileDecisionTable,
  compileRuleSet,
  createEngine,
  createMemoryStorage,
  createRegistry,
  createSystemClock,
  isRuleflowError,
  ValidationError,
  validateDefinition,
  type ActionNotAllowedError,
  type ConcurrencyError,
  type IssueCode,
  type RuleflowErrorByCode,
  type Clock,
  type CompiledDecisionTable,
  type CompiledDefinition,
  type CompiledRuleSet,
  type DecisionResult,
  type DefinitionRegistry,
  type Engine,
  type EvaluationResult,
  type InstanceView,
  type Issue,
  type RuleflowError,
  type RuleflowErrorCode,
  type Storage,
  type ValidationResult,
} from "@ruleflow/engine";

// compileDefinition takes any JSON and returns the union of compiled kinds, narrowed by `kind`
expectTypeOf(compileDefinition).parameter(0).toBeUnknown();
expectTypeOf(compileDefinition).returns.toEqualTypeOf<CompiledDefinition>();
declare const compiled: CompiledDefinition;
if (compiled.kind === "ruleset") expectTypeOf(compiled).toEqualTypeOf<CompiledRuleSet>();
if (compiled.kind === "decision-table") expectTypeOf(compiled).toEqualTypeOf<CompiledDecisionTable>();
expectTypeOf<CompiledDefinition["kind"]>().toExtend<string>();
expectTypeOf<"ruleset" | "decision-table" | "workflow" | "calendar">().toExtend<CompiledDefinition["kind"]>();

// the kind-specific compilers return their kind, and their inputs are typed documents
expectTypeOf(compileRuleSet).returns.toEqualTypeOf<CompiledRuleSet>();
expectTypeOf(compileDecisionTable).returns.toEqualTypeOf<CompiledDecisionTable>();
// @ts-expect-error a number is not a rule set document
compileRuleSet(42);
expectTypeOf<CompiledRuleSet["evaluate"]>().returns.toEqualTypeOf<DecisionResult>();
// @internal members are stripped from the shipped declarations
expectTypeOf<CompiledRuleSet>().not.toHaveProperty("evaluateScope");

// validateDefinition never throws: a result to switch on
expectTypeOf(validateDefinition).returns.toEqualTypeOf<ValidationResult>();
declare const validation: ValidationResult;
if (!validation.ok) expectTypeOf(validation.issues).toEqualTypeOf<Issue[]>();

// the registry
expectTypeOf(createRegistry).returns.toEqualTypeOf<DefinitionRegistry>();
expectTypeOf(createRegistry).toBeCallableWith();
expectTypeOf(createRegistry).toBeCallableWith([{ kind: "ruleset" }], { locale: "zh-CN" });
expectTypeOf<DefinitionRegistry["evaluate"]>().returns.toEqualTypeOf<EvaluationResult>();
expectTypeOf<DefinitionRegistry["resolve"]>().returns.toEqualTypeOf<CompiledDefinition>();

// errors: isRuleflowError narrows unknown, codes are literals
declare const caught: unknown;
if (isRuleflowError(caught)) {
  expectTypeOf(caught).toEqualTypeOf<RuleflowError>();
  expectTypeOf(caught.code).toEqualTypeOf<RuleflowErrorCode>();
}
expectTypeOf<"VALIDATION_ERROR">().toExtend<RuleflowErrorCode>();
expectTypeOf<RuleflowErrorCode>().not.toEqualTypeOf<string>();
expectTypeOf<ValidationError>().toExtend<RuleflowError>();
expectTypeOf<ValidationError>().toExtend<Error>();
expectTypeOf<ValidationError["issues"]>().toEqualTypeOf<Issue[]>();
declare const thrown: unknown;
if (thrown instanceof ValidationError) expectTypeOf(thrown.issues[0]).toEqualTypeOf<Issue | undefined>();
// with a code, isRuleflowError narrows to that code's class; one class per code; issue codes are a union
if (isRuleflowError(caught, "CONCURRENCY_CONFLICT")) expectTypeOf(caught).toEqualTypeOf<ConcurrencyError>();
if (isRuleflowError(caught, "NOT_ALLOWED")) expectTypeOf(caught.reason).toEqualTypeOf<string>();
expectTypeOf<RuleflowErrorByCode["NOT_ALLOWED"]>().toEqualTypeOf<ActionNotAllowedError>();
expectTypeOf<keyof RuleflowErrorByCode>().toEqualTypeOf<RuleflowErrorCode>();
expectTypeOf<Issue["code"]>().toEqualTypeOf<IssueCode>();
expectTypeOf<IssueCode>().not.toEqualTypeOf<string>();

// the workflow engine and its ports
expectTypeOf(createEngine).returns.toEqualTypeOf<Engine>();
// @ts-expect-error definitions are required
createEngine({});
expectTypeOf(createEngine).toBeCallableWith({ definitions: [], storage: createMemoryStorage(), clock: createSystemClock() });
expectTypeOf(createMemoryStorage()).toExtend<Storage>();
expectTypeOf(createSystemClock()).toEqualTypeOf<Clock>();
expectTypeOf<Engine["start"]>().returns.toEqualTypeOf<Promise<InstanceView>>();
expectTypeOf<Engine["get"]>().returns.toEqualTypeOf<Promise<InstanceView | undefined>>();
expectTypeOf<Engine["list"]>().returns.toEqualTypeOf<Promise<InstanceView[]>>();
expectTypeOf<Engine["inbox"]>().parameters.toEqualTypeOf<[user: string]>();
expectTypeOf<Engine["settle"]>().returns.toEqualTypeOf<Promise<void>>();
expectTypeOf<Engine["close"]>().returns.toEqualTypeOf<Promise<void>>();
expectTypeOf<Engine["definitions"]>().toEqualTypeOf<DefinitionRegistry>();
declare const engine: Engine;
// @ts-expect-error send needs the event
void engine.send("instance-1");
