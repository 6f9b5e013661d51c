/**
 * `@ruleflow/engine/rules`: the parts of rule sets, decision tables,
 * conditions and expressions a host needs beyond compiling and evaluating
 * them: their zod schemas and option lists, the expression function
 * catalogue, step and depth limits, and the condition-trace explainer.
 *
 * Compiling and evaluating (`compileRuleSet`, `compileDecisionTable`,
 * `compileCondition`, `compileExpression`, `explainDecision`) live in the root
 * entry, `@ruleflow/engine`.
 *
 * @example
 * ```ts
 * import { compileCondition } from "@ruleflow/engine";
 * import { CONDITION_OPERATORS, explainConditionTrace } from "@ruleflow/engine/rules";
 *
 * const result = compileCondition({ fact: "order.total", op: "gte", value: 100 }).explain({ order: { total: 120 } });
 * console.log(CONDITION_OPERATORS.includes("gte"), explainConditionTrace(result.trace).join("\n"));
 * ```
 *
 * @packageDocumentation
 */

// Expressions
export { DEFAULT_MAX_STEPS } from "../expr/compile.js";
export type { CompiledExpression, CompileExpressionOptions } from "../expr/compile.js";
export type { EvaluateOptions, EvaluationWarning } from "../core/context.js";
export type { EvaluationWarningCode } from "../core/errors.js";
export type { ExpressionLimits } from "../expr/parse.js";
export { BUILTIN_FUNCTIONS } from "../expr/functions.js";
export type { FunctionSpec, Lambda } from "../expr/functions.js";
export { MAX_DOCUMENT_DEPTH } from "../schema/document-limits.js";

// Conditions
export { conditionSchema, CONDITION_OPERATORS } from "../schema/condition.js";
export type { Condition, ConditionOperator, FactCondition, FactReference } from "../schema/condition.js";
export type {
  CompiledCondition,
  ConditionResult,
  ConditionTrace,
  CompileConditionOptions,
} from "../conditions/compile.js";
export type { ConditionEvaluateOptions } from "../core/context.js";
export { explainConditionTrace } from "../decisions/explain.js";
export type { ExplainOptions } from "../decisions/explain.js";

// Rule sets and decision tables
export { rulesetSchema, RULESET_HIT_POLICIES } from "../schema/ruleset.js";
export type { RuleSetDefinition, RuleSetDocument, Rule } from "../schema/ruleset.js";
export { decisionTableSchema, TABLE_HIT_POLICIES, COLLECT_AGGREGATIONS, OUTPUT_TYPES } from "../schema/decision-table.js";
export type { DecisionTableDefinition, DecisionTableDocument } from "../schema/decision-table.js";
export type { CompiledRuleSet } from "../decisions/ruleset.js";
export type { CompiledDecisionTable } from "../decisions/decision-table.js";
export type { DecisionResult, MatchedRule, RuleTrace, RowTrace, CellTrace } from "../decisions/types.js";
export type { EvaluateDefinitionOptions, LookedUpDefinition } from "../core/context.js";
export type { DefinitionLookup } from "../definitions.js";
