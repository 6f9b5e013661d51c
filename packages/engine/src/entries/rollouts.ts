/**
 * `@ruleflow/engine/rollouts`: staged rollouts and experiments. The
 * controller that moves a rollout through its lifecycle with a store and an
 * audit trail, bucketing and layer checks, the rollout and event schemas,
 * the analysis of exposure and metric events into a report with a
 * recommendation, explainers for an assignment and a report, and sample-size
 * planning.
 *
 * `compileRollout` (one rollout definition) is in the root entry,
 * `@ruleflow/engine`.
 *
 * @example
 * ```ts
 * import { compileRollout } from "@ruleflow/engine";
 * import { analyzeRollout, explainRolloutReport, parseRolloutEventLines } from "@ruleflow/engine/rollouts";
 *
 * const report = analyzeRollout(compileRollout(definition), parseRolloutEventLines(jsonl).events);
 * console.log(explainRolloutReport(report));
 * ```
 *
 * @packageDocumentation
 */

// Assignment
export { bucketOf, unitKey, BUCKETS } from "../rollouts/hash.js";
export { liveRanges, findRange } from "../rollouts/layout.js";
export type { BucketRange, LiveRange, LayoutVariant } from "../rollouts/layout.js";
export { rebalanceSlots } from "../rollouts/rebalance.js";
export type { RebalanceInput } from "../rollouts/rebalance.js";
export { findLayerConflicts } from "../rollouts/layers.js";
export type { LayerConflict } from "../rollouts/layers.js";
export { explainAssignment } from "../rollouts/explain.js";
export type {
  AssignmentReason,
  AssignmentExplanation,
  RolloutResult,
  StickyAssignment,
  RolloutEvaluateOptions,
  CompiledVariant,
  CompiledSwitch,
  CompiledRollout,
} from "../rollouts/types.js";
export { rolloutSchema, ROLLOUT_STATUSES, METRIC_TYPES } from "../schema/rollout.js";
export type { RolloutDefinition, RolloutDocument, RolloutVariant, RolloutStatus, MetricRef, Guardrail, RolloutSwitch } from "../schema/rollout.js";

// Lifecycle
export { createRolloutController } from "../rollouts/controller.js";
export type { RolloutController, RolloutControllerOptions, RolloutLifecycleEvent, ActorOptions } from "../rollouts/controller.js";
export { createMemoryRolloutStore } from "../rollouts/memory-store.js";
export type { RolloutStore, RolloutAuditRecord, RolloutExposure, RolloutAction } from "../rollouts/store.js";
export { transitionRollout } from "../rollouts/lifecycle.js";
export type { RolloutTransition } from "../rollouts/lifecycle.js";

// Events, reports and planning
export { parseRolloutEvents, parseRolloutEventLines, rolloutEventSchema, exposureEventSchema, metricEventSchema } from "../rollouts/events.js";
export type { RolloutEvent, RolloutEventInput, ExposureEvent, MetricEvent } from "../rollouts/events.js";
export { analyzeRollout } from "../rollouts/report.js";
export type { ReportOptions } from "../rollouts/report.js";
export { explainRolloutReport } from "../rollouts/report-format.js";
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
} from "../rollouts/report-types.js";
export type { DataSummary } from "../rollouts/report-data.js";
export type { Estimate, Comparison } from "../stats/hypothesis-tests.js";
export { sampleSizeForRate, sampleSizeForMean } from "../stats/sample-size.js";
export type { SampleSizeOptions } from "../stats/sample-size.js";
