/**
 * Assigning one unit: the hot path of a compiled rollout. Everything that
 * does not depend on the unit (ranges, their labels, condition closures,
 * pilot lookup) was prepared by compile.ts; here we read the unit, run the
 * checks in order, hash, scan a handful of ranges and build the result.
 *
 * Order of the checks, first that applies decides:
 * status (draft / promoted / rolled-back) -> unit present -> pilot list or
 * targeting -> active elastic switch -> pilot variant -> holdout -> layer ->
 * sticky record -> live range at the ramp's coverage.
 */
import { makeScope, type ConditionTrace } from "../conditions/compile.js";
import { EvaluationError } from "../core/errors.js";
import type { Scope } from "../expr/compile.js";
import { readPath } from "../expr/values.js";
import type { RolloutStatus } from "../schema/rollout.js";
import { firstFailure } from "./explain.js";
import { bucketOf, unitKey } from "./hash.js";
import type { BucketRange } from "./layout.js";
import type { AssignmentExplanation, AssignmentReason, CompiledVariant, RolloutEvaluateOptions, RolloutResult } from "./types.js";

type Run = (scope: Scope, nowMs: number) => boolean;

/** A live range with its label prepared for messages. @internal */
interface PlannedRange {
  readonly variant: number;
  readonly from: number;
  readonly to: number;
  readonly range: BucketRange;
  readonly text: string;
}

/** One ramp step: from when, what percent, which ranges. @internal */
export interface PlannedStep {
  readonly atMs: number;
  readonly percent: number;
  readonly percentText: string;
  readonly ranges: readonly PlannedRange[];
}

/** Everything assignment needs, prepared once. @internal */
export interface AssignPlan {
  id: string;
  version: number;
  status: RolloutStatus;
  unitFact: string;
  unitSegs: string[];
  variants: readonly CompiledVariant[];
  control: CompiledVariant;
  winner: CompiledVariant;
  salt: string;
  steps: readonly PlannedStep[];
  firstStep: string | undefined;
  pilots: ReadonlyMap<string, { variant: CompiledVariant; label: string }>;
  targeting: { run: Run; trace: (s: Scope, n: number) => ConditionTrace } | undefined;
  switches: readonly { id: string; variant: CompiledVariant; run: Run | undefined }[];
  holdout: { salt: string; percent: number } | undefined;
  layer: { id: string; seed: string; range: BucketRange } | undefined;
  sticky: boolean;
}

/**
 * Build the `evaluate` function of a compiled rollout.
 * @internal
 */
export function createAssigner(plan: AssignPlan): (facts: unknown, options?: RolloutEvaluateOptions) => RolloutResult {
  const { id, version, status, unitFact, unitSegs, variants, control, winner, salt, steps, pilots, targeting, switches, holdout, layer } = plan;
  const ctl = control.id === "control" ? "control" : `control (${control.id})`;
  // Callers usually pass the same `at` string many times (a request, a batch), and
  // normalising it costs more than the assignment: keep the last one.
  let lastAt: string | undefined;
  let lastNow = "";
  let lastMs = 0;
  let lastStep = steps[0]!;

  // One function for every outcome, defined once (no closure per evaluation).
  const finish = (
    explanation: AssignmentExplanation,
    now: string,
    reason: AssignmentReason,
    variant: CompiledVariant,
    unit: string | null,
    message: string,
    bucket: number | null = null,
    live?: PlannedRange,
  ): RolloutResult => {
    explanation.reason = reason;
    (explanation as { message: string }).message = message;
    const inExperiment = reason === "assigned" || reason === "sticky";
    return { kind: "rollout", id, version, at: now, status, output: variant.value, variant: variant.id, inExperiment, unit, bucket, range: live ? live.range : null, explanation };
  };

  return (facts, options = {}) => {
    const at = options.at;
    if (at === undefined) {
      throw new EvaluationError(`rollout "${id}": pass the evaluation time as { at } (rollouts never read the clock; registry.evaluate and the rollout controller pass it for you)`);
    }
    if (typeof at !== "string" || at !== lastAt) {
      const t = makeScope(null, at);
      lastNow = t.scope.now!;
      lastMs = t.nowMs;
      lastAt = typeof at === "string" ? at : undefined;
      lastStep = steps[0]!;
      for (let i = 1; i < steps.length && steps[i]!.atMs <= lastMs; i++) lastStep = steps[i]!;
    }
    const now = lastNow;
    const nowMs = lastMs;
    const step = lastStep;
    const explanation: AssignmentExplanation = { targeted: null, reason: "draft", message: "", coverage: step.percent };

    if (status === "draft") return finish(explanation, now, "draft", control, null, `v${version} is a draft: nobody is in yet; ${ctl} applies`);
    if (status === "promoted") return finish(explanation, now, "promoted", winner, null, `v${version} promoted ${winner.id}: everyone gets it`);
    if (status === "rolled-back") return finish(explanation, now, "rolled-back", control, null, `v${version} rolled back: everyone gets ${ctl}`);
    const raw = readPath(facts, unitSegs);
    const unit = unitKey(raw);
    if (unit === undefined) {
      const what = raw === undefined || raw === null ? "missing" : `${JSON.stringify(raw)} (not a non-empty string or a number)`;
      return finish(explanation, now, "no-unit", control, null, `${unitFact} is ${what}, so the unit cannot be bucketed; ${ctl} applies`);
    }
    const who = `${unitFact} ${JSON.stringify(unit)}`;
    const pilot = pilots.size ? pilots.get(unit) : undefined;
    const scope: Scope = { facts, now, locals: [] };
    if (!pilot) {
      if (targeting) {
        let trace: ConditionTrace | undefined;
        let passed: boolean;
        if (options.trace === true) {
          trace = targeting.trace(scope, nowMs);
          passed = trace.passed;
        } else {
          passed = targeting.run(scope, nowMs);
          if (!passed) trace = targeting.trace(scope, nowMs);
        }
        explanation.targeted = passed;
        if (trace) explanation.targeting = trace;
        if (!passed) return finish(explanation, now, "not-targeted", control, unit, `not targeted (${firstFailure(trace!)}); ${ctl} applies`);
      } else explanation.targeted = true;
    }
    for (const s of switches) {
      if (s.run === undefined || s.run(scope, nowMs)) {
        explanation.switch = s.id;
        return finish(explanation, now, "switched", s.variant, unit, `elastic switch ${s.id} is active and covers ${who}: it gets ${s.variant.id}`);
      }
    }
    if (pilot) {
      explanation.pilot = pilot.label;
      return finish(explanation, now, "pilot", pilot.variant, unit, `${who} is on pilot list ${pilot.label}, which gets ${pilot.variant.id}`);
    }
    if (holdout) {
      const b = bucketOf(holdout.salt, unit);
      const held = b < holdout.percent / 100;
      explanation.holdout = { bucket: b, percent: holdout.percent, held };
      if (held) return finish(explanation, now, "holdout", control, unit, `${who} is in the holdout (bucket ${b} < ${holdout.percent}%); ${ctl} applies`);
    }
    if (layer) {
      const b = bucketOf(layer.seed, unit);
      const inside = b >= layer.range[0] && b < layer.range[1];
      explanation.layer = { id: layer.id, bucket: b, range: layer.range, inside };
      if (!inside) return finish(explanation, now, "outside-layer", control, unit, `${who} is outside this rollout's share of layer ${layer.id}; ${ctl} applies`);
    }
    const bucket = bucketOf(salt, unit);
    const sticky = options.sticky;
    if (plan.sticky && sticky && sticky.rolloutId === id && sticky.unit === unit && sticky.salt === salt) {
      const v = variants.find((x) => x.id === sticky.variant);
      if (v && v.share > 0) {
        explanation.sticky = { variant: v.id, version: sticky.version };
        return finish(explanation, now, "sticky", v, unit, `${who} keeps ${v.id}, stored for it by v${sticky.version} (sticky)`, bucket);
      }
    }
    const ranges = step.ranges;
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i]!;
      if (bucket >= r.from && bucket < r.to) {
        const v = variants[r.variant]!;
        return finish(explanation, now, "assigned", v, unit, `${who} has bucket ${bucket}, inside ${v.id}'s live range ${r.text} at ${step.percentText}% ramp (v${version})`, bucket, r);
      }
    }
    const message =
      step.percent === 0
        ? `the ramp has not started (it starts at ${plan.firstStep}); ${ctl} applies`
        : `${who} has bucket ${bucket}, outside the live ranges at ${step.percentText}% ramp; ${ctl} applies until the ramp covers it`;
    return finish(explanation, now, "not-ramped", control, unit, message, bucket);
  };
}
