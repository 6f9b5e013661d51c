/**
 * @ruleflow/engine: an embeddable rules and workflow engine for sales
 * operations. Every definition is JSON; every result explains itself.
 *
 * @packageDocumentation
 */
export {
  RuleflowError,
  ValidationError,
  ExpressionError,
  EvaluationError,
  DecisionError,
  NoEffectiveVersionError,
  UnknownDefinitionError,
  isRuleflowError,
  formatIssue,
  formatPath,
} from "./errors.js";
export type { Issue, RuleflowErrorCode } from "./errors.js";

export { compileExpression } from "./expr/compile.js";
export type { CompiledExpression, CompileExpressionOptions, EvaluateOptions } from "./expr/compile.js";
export type { ExpressionLimits } from "./expr/parse.js";
export { BUILTIN_FUNCTIONS } from "./expr/functions.js";
export type { FunctionSpec, Lambda } from "./expr/functions.js";

export { compileCondition } from "./conditions/compile.js";
export type {
  CompiledCondition,
  ConditionResult,
  ConditionTrace,
  ConditionEvaluateOptions,
  CompileConditionOptions,
} from "./conditions/compile.js";

export { compileDefinition, compileRuleSet, compileDecisionTable, validateDefinition, definitionSchemas, DEFINITION_KINDS } from "./definitions.js";
export type { CompiledDefinition, DefinitionDocument, ValidationResult, EvaluableDefinition, EvaluationResult } from "./definitions.js";
export { createRegistry } from "./decisions/registry.js";
export type { DefinitionRegistry } from "./decisions/registry.js";
export type { CompiledRuleSet } from "./decisions/ruleset.js";
export type { CompiledDecisionTable } from "./decisions/decision-table.js";
export type {
  DecisionResult,
  EvaluateDefinitionOptions,
  DefinitionLookup,
  MatchedRule,
  RuleTrace,
  RowTrace,
  CellTrace,
} from "./decisions/types.js";

export { conditionSchema, CONDITION_OPERATORS } from "./schema/condition.js";
export type { Condition, ConditionOperator, FactCondition, FactReference } from "./schema/condition.js";
export { rulesetSchema, RULESET_HIT_POLICIES } from "./schema/ruleset.js";
export type { RuleSetDefinition, RuleSetDocument, Rule } from "./schema/ruleset.js";
export { decisionTableSchema, TABLE_HIT_POLICIES, COLLECT_AGGREGATIONS, OUTPUT_TYPES } from "./schema/decision-table.js";
export type { DecisionTableDefinition, DecisionTableDocument } from "./schema/decision-table.js";
export { toJsonSchemas } from "./schema/json-schema.js";

export { parseDuration, addDuration } from "./calendar/duration.js";
export type { Duration } from "./calendar/duration.js";
export { explainDecision, describeConditionTrace } from "./decisions/explain.js";

export {
  parseMoney,
  moneyFromMinor,
  formatMoney,
  addMoney,
  subtractMoney,
  compareMoney,
  multiplyMoney,
  roundMoney,
  allocateMoney,
} from "./money/money.js";
export type { Money, RoundingOptions } from "./money/money.js";
export { divideRounded, ROUNDING_MODES } from "./money/rounding.js";
export type { RoundingMode } from "./money/rounding.js";
export { toMinorUnits, formatMinorUnits } from "./money/amount.js";
export { currencyScale, CURRENCY_SCALES, DEFAULT_MONEY_SCALE } from "./money/currency.js";
export { periodContaining, parsePeriod, previousPeriod, checkTimeZone, zoneOffset, PERIOD_UNITS, LIFETIME } from "./money/period.js";
export type { Period, PeriodUnit } from "./money/period.js";
