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
  ArgumentError,
  SchemaVersionError,
  isRuleflowError,
  isIssueCode,
  formatIssue,
  formatPath,
  ISSUE_CODES,
  EVALUATION_WARNING_CODES,
  RULEFLOW_ERROR_CODES,
} from "./core/errors.js";
export type { Issue, IssueCode, RuleflowErrorCode, RuleflowErrorByCode, ConcurrencySubject, ActionSubject } from "./core/errors.js";
export { assertStorableText, unstorableText, toStorableText } from "./storable-text.js";

export { compileExpression, DEFAULT_MAX_STEPS } from "./expr/compile.js";
export type { CompiledExpression, CompileExpressionOptions, EvaluateOptions } from "./expr/compile.js";
export type { EvaluationWarning, EvaluationWarningCode } from "./expr/warnings.js";
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

export { compileDefinition, validateDefinition, definitionSchemas, DEFINITION_KINDS } from "./definitions.js";
export { compileRuleSet } from "./decisions/ruleset-kind.js";
export { compileDecisionTable } from "./decisions/decision-table-kind.js";
export { compileWorkflow } from "./workflow/kind.js";
export { compileScenario } from "./workflow/scenario-kind.js";
export type { CompiledDefinition, DefinitionDocument, ValidationResult, ValidateOptions, EvaluableDefinition, EvaluationResult } from "./definitions.js";
export { LOCALES, resolveLocale, localizeIssues, localizeIssue } from "./i18n/index.js";
export type { Locale } from "./i18n/index.js";
export { MAX_DOCUMENT_DEPTH } from "./schema/document-limits.js";
export { createRegistry } from "./registry.js";
export type { DefinitionRegistry } from "./registry.js";
export type { CompiledRuleSet } from "./decisions/ruleset.js";
export type { CompiledDecisionTable } from "./decisions/decision-table.js";
export type { DecisionResult, MatchedRule, RuleTrace, RowTrace, CellTrace } from "./decisions/types.js";
export type { EvaluateDefinitionOptions, LookedUpDefinition } from "./core/context.js";
export type { DefinitionLookup } from "./definitions.js";

export { conditionSchema, CONDITION_OPERATORS } from "./schema/condition.js";
export type { Condition, ConditionOperator, FactCondition, FactReference } from "./schema/condition.js";
export { rulesetSchema, RULESET_HIT_POLICIES } from "./schema/ruleset.js";
export type { RuleSetDefinition, RuleSetDocument, Rule } from "./schema/ruleset.js";
export { decisionTableSchema, TABLE_HIT_POLICIES, COLLECT_AGGREGATIONS, OUTPUT_TYPES } from "./schema/decision-table.js";
export type { DecisionTableDefinition, DecisionTableDocument } from "./schema/decision-table.js";
export { toJsonSchemas } from "./json-schema.js";

export { parseDuration, addDuration } from "./core/duration.js";
export type { Duration } from "./core/duration.js";
export { compileCalendar } from "./calendar/kind.js";
export { getBuiltinCalendar } from "./calendar/builtins.js";
export type { BusinessCalendar, CompiledCalendar, AddDurationOptions } from "./calendar/business-calendar.js";
export { BUILTIN_CALENDARS } from "./calendar/cn-mainland.js";
export { CN_MAINLAND_NOTICES, CN_MAINLAND_COVERAGE } from "./calendar/cn-mainland-data.js";
export type { HolidayNotice, HolidayPeriod } from "./calendar/cn-mainland-data.js";
export { CalendarCoverageError } from "./core/errors.js";
export type { CalendarCoverage } from "./core/errors.js";
export { toLocalDateTime, fromLocalDateTime } from "./core/time-zone.js";
export type { LocalDateTime, GapResolution } from "./core/time-zone.js";
export { calendarSchema, BUILTIN_CALENDAR_IDS } from "./schema/calendar.js";
export type { CalendarDefinition, CalendarDocument, BuiltinCalendarId, WeekdayName } from "./schema/calendar.js";
export { explainDecision, explainConditionTrace } from "./decisions/explain.js";
export type { ExplainOptions } from "./decisions/explain.js";

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

export { compileRollout } from "./rollouts/kind.js";
export { bucketOf, unitKey, BUCKETS } from "./rollouts/hash.js";
export { fnv1a32 } from "./core/hash.js";
export { liveRanges, findRange } from "./rollouts/layout.js";
export type { BucketRange, LiveRange, LayoutVariant } from "./rollouts/layout.js";
export { rebalanceSlots } from "./rollouts/rebalance.js";
export { findLayerConflicts } from "./rollouts/layers.js";
export type { LayerConflict } from "./rollouts/layers.js";
export type { RebalanceInput } from "./rollouts/rebalance.js";
export { explainAssignment } from "./rollouts/explain.js";
export type {
  AssignmentReason,
  AssignmentExplanation,
  RolloutResult,
  StickyAssignment,
  RolloutEvaluateOptions,
  CompiledVariant,
  CompiledSwitch,
  CompiledRollout,
} from "./rollouts/types.js";
export { rolloutSchema, ROLLOUT_STATUSES, METRIC_TYPES } from "./schema/rollout.js";
export type { RolloutDefinition, RolloutDocument, RolloutVariant, RolloutStatus, MetricRef, Guardrail, RolloutSwitch } from "./schema/rollout.js";
export { analyzeRollout } from "./rollouts/report.js";
export type { ReportOptions } from "./rollouts/report.js";
export { explainRolloutReport } from "./rollouts/report-format.js";
export type {
  RolloutReport,
  MetricReport,
  MetricComparison,
  VariantMetric,
  GuardrailReport,
  GuardrailStatus,
  SrmCheck,
  Recommendation,
  RecommendedAction,
} from "./rollouts/report-types.js";
export type { DataSummary } from "./rollouts/report-data.js";
export { parseRolloutEvents, parseRolloutEventLines, rolloutEventSchema, exposureEventSchema, metricEventSchema } from "./rollouts/events.js";
export type { RolloutEvent, RolloutEventInput, ExposureEvent, MetricEvent } from "./rollouts/events.js";
export { createRolloutController } from "./rollouts/controller.js";
export type { RolloutController, RolloutControllerOptions, RolloutLifecycleEvent, ActorOptions } from "./rollouts/controller.js";
export { createMemoryRolloutStore } from "./rollouts/memory-store.js";
export type { RolloutStore, RolloutAuditRecord, RolloutExposure, RolloutAction } from "./rollouts/store.js";
export { transitionRollout } from "./rollouts/lifecycle.js";
export type { RolloutTransition } from "./rollouts/lifecycle.js";

// Workflow runtime: engine, ports and in-memory defaults.
export { createEngine } from "./runtime/engine.js";
export type { Engine, EngineOptions, EngineEvent, StartOptions, InstanceEvent, DomainEvent } from "./runtime/engine.js";
export type { InstanceView } from "./runtime/records.js";
export type {
  Storage,
  Scheduler,
  SchedulerContext,
  Notifier,
  Notification,
  DeliveryFailure,
  Clock,
  Directory,
  StoredInstance,
  InstanceStatus,
  InstanceQuery,
  TimerRecord,
  OutboxEntry,
  OutboxKind,
  AuditRecord,
  Commit,
} from "./runtime/ports.js";
export { createDeadLetterBox, type DeadLetter, type DeadLetterBox, type DeadLetterBoxOptions, type DeadLetterOptions } from "./runtime/dead-letter.js";
export { createMemoryStorage } from "./runtime/memory-storage.js";
export type { MemoryStorage, MemoryStorageData } from "./runtime/memory-storage.js";
export { createMemoryScheduler } from "./runtime/memory-scheduler.js";
export { createMemoryNotifier, createStaticDirectory } from "./runtime/defaults.js";
export type { MemoryNotifier, StaticDirectoryData } from "./runtime/defaults.js";
export { createSystemClock, createVirtualClock, VirtualClock } from "./runtime/clock.js";
export type { TaskHandler, TaskContext, RetryPolicy } from "./runtime/dispatcher.js";
export { compileTemplate, renderTemplate, escapeHtml } from "./runtime/template.js";
export type { CompiledTemplate, TemplateOptions } from "./runtime/template.js";
export { workflowSchema } from "./schema/workflow.js";
// Scheduled triggers (docs/schedules.md).
export { compileRecurrence } from "./calendar/recurrence.js";
export type { Recurrence } from "./calendar/recurrence.js";
export { scheduleSpecSchema } from "./schema/schedule.js";
export type { ScheduleSpec, ScheduleSpecDefinition } from "./schema/schedule.js";
export type { ScheduleRecord } from "./runtime/ports.js";
export type { ScheduleView } from "./runtime/schedules.js";
export type { WorkflowDefinition, WorkflowDocument, WorkflowNode, EscalationStep, NotifySpec } from "./schema/workflow.js";
export type { CompiledWorkflow } from "./workflow/compile.js";
export { ConcurrencyError, ActionNotAllowedError, InstanceNotFoundError, WorkflowError, PermanentDeliveryError, isPermanentDeliveryError } from "./core/errors.js";
export { normalPdf, normalCdf, normalQuantile, normalTwoSidedP } from "./stats/normal.js";
export { studentTPdf, studentTCdf, studentTQuantile, studentTTwoSidedP } from "./stats/student-t.js";
export { chiSquareCdf, chiSquareSf } from "./stats/chi-square.js";
export { logGamma, gammaP, gammaQ, incompleteBeta } from "./stats/special.js";
export { twoProportionTest, welchTest, chiSquareGoodnessOfFit } from "./stats/hypothesis-tests.js";
export type { Estimate, Comparison, RateSample, MeanSample, GoodnessOfFit } from "./stats/hypothesis-tests.js";
export { sampleSizeForRate, sampleSizeForMean } from "./stats/sample-size.js";
export type { SampleSizeOptions } from "./stats/sample-size.js";

export { createPromotionSet } from "./promotions/promotion-set.js";
export { compilePromotion } from "./promotions/kind.js";
export type { PromotionSet, PromotionSetResult, PromotionSetOptions, AppliedPromotion, SkippedPromotion } from "./promotions/promotion-set.js";
export type { CompiledPromotion, PromotionResult, StackingMode } from "./promotions/promotion.js";
export type { BenefitResult } from "./promotions/benefits.js";
export type { FailedCondition, NearMissHint, PromotionUnit } from "./promotions/failures.js";
export type { LimitInfo } from "./promotions/limits.js";
export { createPromotionClaims } from "./promotions/claims.js";
export type { PromotionClaims, ClaimOptions, ClaimOutcome, ReleaseOutcome, ClaimData, LimitStatus, LimitUsageReport } from "./promotions/claims.js";
export { createMemoryClaimStore } from "./promotions/memory-claim-store.js";
export type { ClaimStore, ClaimCounter, ClaimRecord, CounterUsage, ReserveRequest, ReserveResult, ReleaseResult } from "./promotions/claim-store.js";
export { promotionSchema, benefitSchema, STACKING_MODES } from "./schema/promotion.js";
export type { PromotionDefinition, PromotionDocument, Benefit, Limit } from "./schema/promotion.js";

// Simulation: scenarios on a virtual clock.
export { runScenario } from "./simulation/run-scenario.js";
export type { ScenarioReport } from "./simulation/run-scenario.js";
export { scenarioSchema } from "./schema/scenario.js";
export type { ScenarioDefinition, ScenarioDocument, ScenarioStep } from "./schema/scenario.js";
export type { CompiledScenario } from "./definitions.js";

export { settleRebates } from "./rebates/settle.js";
export type { SettleOptions } from "./rebates/settle.js";
export { compileRebate } from "./rebates/kind.js";
export type { CompiledRebate } from "./rebates/program.js";
export type { RebateQuote } from "./rebates/quote.js";
export type { AppliedModifier } from "./rebates/modifiers.js";
export type { BandResult, TierPosition } from "./rebates/tiers.js";
export type { RebateStatement, StatementLine, AdjustmentLine, StatementAccount, Recheck, BreakdownRow, RebateWarning } from "./rebates/statement.js";
export { rebateSchema, REBATE_MODES, TIER_MEASURES, REBATE_PERIODS } from "./schema/rebate.js";
export type { RebateDefinition, RebateDocument, RebateTier, RebateModifier } from "./schema/rebate.js";
export { explainStatement } from "./rebates/describe.js";
export type { ExplainStatementOptions } from "./rebates/describe.js";
export { explainPromotions, explainPromotion, explainBenefit } from "./promotions/describe.js";
