/**
 * The rollout report: per-variant numbers, lifts with confidence intervals
 * and p-values (two-proportion z test for rates, Welch's t test for means),
 * the sample-ratio-mismatch check, guardrails and a recommendation.
 */
import type { Guardrail, MetricRef, RolloutDocument } from "../schema/rollout.js";
import { chiSquareGoodnessOfFit, twoProportionTest, welchTest } from "../stats/hypothesis-tests.js";
import type { RolloutEventInput } from "./events.js";
import { checkGuardrails } from "./guardrails.js";
import { recommend } from "./recommend.js";
import { aggregateEvents, meanSample, rateSample, type AggregatedData } from "./report-data.js";
import type { MetricReport, RolloutReport, SrmCheck, VariantMetric } from "./report-types.js";
import type { CompiledRollout } from "./types.js";

/** Options for {@link analyzeRollout}. */
export interface ReportOptions {
  /** p-value below which the split is flagged as a sample ratio mismatch. Default 0.001. */
  srmThreshold?: number | undefined;
  /** Confidence level of the intervals. Default 0.95. */
  confidence?: number | undefined;
}

type MetricSpec = { id: string; type: "rate" | "mean"; higherIsBetter: boolean; role: MetricReport["role"] };

const normalise = (ref: MetricRef, role: MetricReport["role"]): MetricSpec =>
  typeof ref === "string" ? { id: ref, type: "rate", higherIsBetter: true, role } : { id: ref.id, type: ref.type, higherIsBetter: ref.higherIsBetter, role };

const guardrailSpec = (g: Guardrail): MetricSpec => ({ id: g.metric, type: g.type, higherIsBetter: g.maxDecrease !== undefined, role: "guardrail" });

function analyzeMetric(
  spec: MetricSpec,
  rollout: CompiledRollout,
  data: AggregatedData,
  treatments: number[],
  control: number,
  alpha: number,
  confidence: number,
): MetricReport {
  const samples = rollout.variants.map((v) =>
    spec.type === "rate" ? rateSample(data.units[v.index]!, data.totals[v.index]!, spec.id) : meanSample(data.units[v.index]!, data.totals[v.index]!, spec.id),
  );
  // Variants nobody can be in (weight 0, no units) have nothing to report.
  const shown = rollout.variants.filter((v) => v.index === control || v.share > 0 || data.units[v.index]! > 0);
  const variants: VariantMetric[] = shown.map((v) => {
    const s = samples[v.index]!;
    if ("conversions" in s) return { variant: v.id, units: s.units, conversions: s.conversions, rate: s.units > 0 ? s.conversions / s.units : 0 };
    return { variant: v.id, units: s.units, mean: s.mean, sd: Math.sqrt(s.variance) };
  });
  const comparisons = treatments.map((t) => {
    const c = samples[control]!;
    const x = samples[t]!;
    const result = "conversions" in c ? twoProportionTest(c, x as typeof c, confidence) : welchTest(c, x as typeof c, confidence);
    const diff = result.absolute.estimate;
    const better = diff === 0 ? null : diff > 0 === spec.higherIsBetter;
    return { ...result, variant: rollout.variants[t]!.id, control: rollout.control, significant: result.pValue < alpha, better };
  });
  return { metric: spec.id, type: spec.type, role: spec.role, higherIsBetter: spec.higherIsBetter, variants, comparisons };
}

function srmCheck(rollout: CompiledRollout, units: number[], threshold: number): SrmCheck | null {
  const weighted = rollout.variants.filter((v) => v.share > 0);
  const observed = weighted.map((v) => units[v.index]!);
  if (weighted.length < 2 || observed.reduce((a, b) => a + b, 0) === 0) return null;
  const fit = chiSquareGoodnessOfFit(observed, weighted.map((v) => v.share));
  return {
    chiSquare: fit.chiSquare,
    df: fit.df,
    pValue: fit.pValue,
    flagged: fit.pValue < threshold,
    threshold,
    observed: Object.fromEntries(weighted.map((v, i) => [v.id, observed[i]!])),
    expected: Object.fromEntries(weighted.map((v, i) => [v.id, Number(fit.expected[i]!.toFixed(1))])),
  };
}

/**
 * Analyse a rollout from its exposure and metric events.
 *
 * @param rollout - the compiled rollout (its variants, weights, control and `metrics`)
 * @param events - exposure and metric events (validated ones from `parseRolloutEvents`, or objects of that shape; `value` defaults to 1); other rollouts' events are skipped
 * @param options - SRM threshold and confidence level
 * @returns per-variant numbers, comparisons with the control, SRM and guardrail checks, and a recommendation
 * @example
 * ```ts
 * const report = analyzeRollout(rollout, parseRolloutEventLines(jsonl).events);
 * report.recommendation; // { action: "promote", variant: "treatment", summary: "Promote treatment: ..." }
 * ```
 * @see docs/rollouts.md
 */
export function analyzeRollout(rollout: CompiledRollout, events: Iterable<RolloutEventInput>, options: ReportOptions = {}): RolloutReport {
  const doc: RolloutDocument = rollout.document;
  const metrics = doc.metrics;
  const confidence = options.confidence ?? 0.95;
  const data = aggregateEvents(
    rollout.id,
    rollout.variants.map((v) => v.id),
    events,
  );
  const control = rollout.variants.find((v) => v.id === rollout.control)!.index;
  const treatments = rollout.variants.filter((v) => v.index !== control && (v.share > 0 || data.units[v.index]! > 0)).map((v) => v.index);
  const baseAlpha = metrics?.alpha ?? 0.05;
  const alpha = baseAlpha / Math.max(1, treatments.length);
  const specs: MetricSpec[] = metrics
    ? [normalise(metrics.primary, "primary"), ...(metrics.secondary ?? []).map((m) => normalise(m, "secondary")), ...(metrics.guardrails ?? []).map(guardrailSpec)]
    : [];
  const reports = specs.map((s) => analyzeMetric(s, rollout, data, treatments, control, alpha, confidence));
  const minUnits = metrics?.minUnitsPerVariant ?? 100;
  const guardrails = checkGuardrails(metrics?.guardrails ?? [], reports, { alpha: baseAlpha, minUnits });
  const srm = srmCheck(rollout, data.units, options.srmThreshold ?? 0.001);
  const units = rollout.variants.filter((v) => v.share > 0 || data.units[v.index]! > 0).map((v) => ({ id: v.id, units: data.units[v.index]! }));
  return {
    rollout: { id: rollout.id, version: rollout.version, status: doc.status, control: rollout.control },
    data: data.summary,
    variants: rollout.variants.map((v) => ({ id: v.id, share: v.share, units: data.units[v.index]! })),
    srm,
    metrics: reports,
    guardrails,
    alpha,
    minUnitsPerVariant: minUnits,
    recommendation: recommend({
      control: rollout.control,
      units,
      primary: reports.find((r) => r.role === "primary"),
      guardrails,
      srm,
      minUnits,
      minimumDetectableEffect: metrics?.minimumDetectableEffect ?? 0.1,
      alpha,
      power: metrics?.power ?? 0.8,
    }),
  };
}
