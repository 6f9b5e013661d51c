/**
 * @ruleflow/engine: an embeddable rules and workflow engine for sales
 * operations. Every definition is JSON; every result explains itself.
 *
 * This root entry holds what a newcomer needs first: validate and compile any
 * definition, keep versions in a registry, evaluate expressions and
 * conditions, explain a decision, run workflows with the in-memory defaults
 * and a clock, and the errors all of these throw. The rest is in subpath
 * entries, one per domain:
 *
 * - `@ruleflow/engine/rules`: rule set, decision table, condition and expression schemas, limits, the function catalogue
 * - `@ruleflow/engine/workflow`: workflow, scenario and schedule schemas, templates, ports, records and events
 * - `@ruleflow/engine/calendar`: built-in business calendars, durations, local time, recurrences
 * - `@ruleflow/engine/money`: exact money arithmetic and periods
 * - `@ruleflow/engine/promotions`, `/rebates`, `/rollouts`: each domain's runtime, schemas and explainers
 * - `@ruleflow/engine/testing`: conformance suites for adapter authors
 *
 * Every value is exported by exactly one entry.
 *
 * @example
 * ```ts
 * import { createRegistry, explainDecision } from "@ruleflow/engine";
 *
 * const registry = createRegistry([ruleSet]);
 * const result = registry.evaluate("contract-auto-approval", facts, { trace: true });
 * console.log(explainDecision(result));
 * ```
 *
 * @packageDocumentation
 */

// Errors and issues
export {
  RuleflowError,
  ValidationError,
  ArgumentError,
  ExpressionError,
  EvaluationError,
  DecisionError,
  NoEffectiveVersionError,
  UnknownDefinitionError,
  ConcurrencyError,
  ActionNotAllowedError,
  InstanceNotFoundError,
  WorkflowError,
  PermanentDeliveryError,
  CalendarCoverageError,
  SchemaVersionError,
  isRuleflowError,
  isIssueCode,
  isPermanentDeliveryError,
  formatIssue,
  formatPath,
  ISSUE_CODES,
  EVALUATION_WARNING_CODES,
  RULEFLOW_ERROR_CODES,
} from "./core/errors.js";
export type {
  Issue,
  IssueCode,
  RuleflowErrorCode,
  RuleflowErrorByCode,
  ConcurrencySubject,
  ActionSubject,
  CalendarCoverage,
  EvaluationWarningCode,
} from "./core/errors.js";

// Definitions: validate, compile, register
export { compileDefinition, validateDefinition, definitionSchemas, DEFINITION_KINDS } from "./definitions.js";
export { compileRuleSet } from "./decisions/ruleset-kind.js";
export { compileDecisionTable } from "./decisions/decision-table-kind.js";
export { compileWorkflow } from "./workflow/kind.js";
export { compileScenario } from "./workflow/scenario-kind.js";
export { compileTestSuite } from "./test-suites/kind.js";
export type {
  CompiledDefinition,
  CompiledScenario,
  CompiledTestSuite,
  DefinitionDocument,
  ValidationResult,
  ValidateOptions,
  EvaluableDefinition,
  EvaluationResult,
} from "./definitions.js";
export { compileCalendar } from "./calendar/kind.js";
export { compilePromotion } from "./promotions/kind.js";
export { compileRebate } from "./rebates/kind.js";
export { compileRollout } from "./rollouts/kind.js";
export { toJsonSchemas } from "./json-schema.js";
export { createRegistry } from "./registry.js";
export type { DefinitionRegistry } from "./registry.js";
export type { CompiledRuleSet } from "./decisions/ruleset.js";
export type { CompiledDecisionTable } from "./decisions/decision-table.js";
export type { CompiledCalendar } from "./calendar/business-calendar.js";
export type { CompiledPromotion } from "./promotions/promotion.js";
export type { CompiledRebate } from "./rebates/program.js";
export type { CompiledRollout } from "./rollouts/types.js";
export type { CompiledWorkflow } from "./workflow/compile.js";
export type { RuleSetDefinition } from "./schema/ruleset.js";
export type { DecisionTableDefinition } from "./schema/decision-table.js";
export type { CalendarDefinition } from "./schema/calendar.js";
export type { PromotionDefinition } from "./schema/promotion.js";
export type { RebateDefinition } from "./schema/rebate.js";
export type { RolloutDefinition } from "./schema/rollout.js";
export type { WorkflowDefinition } from "./schema/workflow.js";
export type { ScenarioDefinition } from "./schema/scenario.js";
export type { TestSuiteDefinition } from "./schema/test-suite.js";

// Expressions, conditions, decisions
export { compileExpression } from "./expr/compile.js";
export type { CompiledExpression, CompileExpressionOptions } from "./expr/compile.js";
export type { EvaluateOptions, EvaluationWarning } from "./core/context.js";
export { compileCondition } from "./conditions/compile.js";
export type { CompiledCondition, ConditionResult, ConditionTrace, CompileConditionOptions } from "./conditions/compile.js";
export type { ConditionEvaluateOptions } from "./core/context.js";
export type { Condition } from "./schema/condition.js";
export { explainDecision } from "./decisions/explain.js";
export type { ExplainOptions } from "./decisions/explain.js";
export type { DecisionResult, MatchedRule, RuleTrace, RowTrace, CellTrace } from "./decisions/types.js";
export type { EvaluateDefinitionOptions, LookedUpDefinition } from "./core/context.js";
export type { DefinitionLookup } from "./definitions.js";

// Workflow runtime: the engine, in-memory defaults, clocks, scenarios
export { createEngine } from "./runtime/engine.js";
export type { Engine, EngineOptions, EngineEvent, StartOptions, InstanceEvent, DomainEvent } from "./runtime/engine.js";
export type { InstanceView } from "./runtime/records.js";
export type { Storage, Scheduler, Notifier, Notification, Clock, Directory } from "./runtime/ports.js";
export { createMemoryStorage } from "./runtime/memory-storage.js";
export type { MemoryStorage, MemoryStorageData } from "./runtime/memory-storage.js";
export { createMemoryScheduler } from "./runtime/memory-scheduler.js";
export { createMemoryNotifier, createStaticDirectory } from "./runtime/defaults.js";
export type { MemoryNotifier, StaticDirectoryData } from "./runtime/defaults.js";
export { createSystemClock, createVirtualClock, VirtualClock } from "./runtime/clock.js";
export { runScenario } from "./simulation/run-scenario.js";
export type { ScenarioReport, RunScenarioOptions } from "./simulation/run-scenario.js";
export type { BusinessStepResult, UnitAssignment, AssignmentCounts } from "./simulation/business-steps.js";

// Locales
export { LOCALES, resolveLocale, localizeIssues, localizeIssue } from "./i18n/index.js";
export type { Locale } from "./i18n/index.js";
