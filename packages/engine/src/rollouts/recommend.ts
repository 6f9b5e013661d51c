/**
 * The recommendation rules, applied in order; the first that applies decides:
 *
 * 1. no units yet                          -> keep-running
 * 2. a guardrail breached                  -> roll-back (to control)
 * 3. sample ratio mismatch (p < 0.001)     -> investigate (the data cannot be trusted)
 * 4. no primary metric declared            -> keep-running
 * 5. a variant below minUnitsPerVariant    -> keep-running
 * 6. a treatment significantly better      -> promote (the best such treatment)
 * 7. every treatment significantly worse   -> roll-back
 * 8. otherwise                             -> inconclusive, with the sample per variant
 *    needed to detect the minimum detectable effect at the configured power
 *
 * "Significantly" uses the report's alpha divided by the number of treatments
 * (Bonferroni), so adding arms does not inflate false promotions.
 */
import { sampleSizeForMean, sampleSizeForRate } from "../stats/sample-size.js";
import { formatDelta } from "./guardrails.js";
import type { GuardrailReport, MetricComparison, MetricReport, Recommendation, SrmCheck } from "./report-types.js";

/** Inputs of {@link recommend}. @internal */
export interface RecommendInput {
  control: string;
  units: { id: string; units: number }[];
  primary: MetricReport | undefined;
  guardrails: GuardrailReport[];
  srm: SrmCheck | null;
  minUnits: number;
  minimumDetectableEffect: number;
  alpha: number;
  power: number;
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString("en-US");

function describeLift(c: MetricComparison, report: MetricReport): string {
  const rel = c.relative ? ` (${c.relative.estimate >= 0 ? "+" : ""}${(c.relative.estimate * 100).toFixed(1)}%)` : "";
  const sign = c.absolute.estimate >= 0 ? "+" : "";
  return `${report.metric} ${sign}${formatDelta(c.absolute.estimate, report.type, false)}${rel} in ${c.variant} vs ${c.control}, 95% CI ${formatDelta(c.absolute.ci[0], report.type, false)} to ${formatDelta(c.absolute.ci[1], report.type, false)}, p = ${c.pValue.toPrecision(2)}`;
}

function sampleNeeded(input: RecommendInput, primary: MetricReport): Recommendation["sampleNeeded"] {
  const control = primary.variants.find((v) => v.variant === input.control);
  if (!control) return undefined;
  const options = { alpha: input.alpha, power: input.power };
  const perVariant =
    primary.type === "rate"
      ? sampleSizeForRate(control.rate ?? 0, input.minimumDetectableEffect, options)
      : sampleSizeForMean(control.mean ?? 0, (control.sd ?? 0) ** 2, input.minimumDetectableEffect, options);
  if (!Number.isFinite(perVariant)) return undefined;
  const smallest = Math.min(...primary.variants.map((v) => v.units));
  return { perVariant, additionalPerVariant: Math.max(0, perVariant - smallest), relativeEffect: input.minimumDetectableEffect, power: input.power };
}

/**
 * Decide what to recommend.
 * @internal
 */
export function recommend(input: RecommendInput): Recommendation {
  const total = input.units.reduce((s, u) => s + u.units, 0);
  if (total === 0) return { action: "keep-running", summary: "Keep running: no exposures recorded yet.", reasons: ["no units have been exposed"] };
  const breached = input.guardrails.filter((g) => g.status === "breached");
  if (breached.length) {
    return { action: "roll-back", variant: input.control, summary: `Roll back to ${input.control}: a guardrail was breached.`, reasons: breached.map((g) => g.message) };
  }
  if (input.srm?.flagged) {
    const split = Object.entries(input.srm.observed).map(([v, n]) => `${v} ${fmtInt(n)}`).join(", ");
    const expected = Object.entries(input.srm.expected).map(([v, n]) => `${v} ${fmtInt(n)}`).join(", ");
    return {
      action: "investigate",
      summary: "Investigate: the split of units does not match the weights (sample ratio mismatch); do not trust the results until it is explained.",
      reasons: [`observed ${split}; expected ${expected}; chi-square ${input.srm.chiSquare.toFixed(1)}, p = ${input.srm.pValue.toPrecision(2)} < ${input.srm.threshold}`],
    };
  }
  const watch = input.guardrails.filter((g) => g.status === "watch").map((g) => g.message);
  const primary = input.primary;
  if (!primary) return { action: "keep-running", summary: "Keep running: declare metrics.primary to get a verdict.", reasons: ["no primary metric", ...watch] };
  const smallest = input.units.reduce((m, u) => (u.units < m.units ? u : m));
  if (smallest.units < input.minUnits) {
    return {
      action: "keep-running",
      summary: `Keep running: ${smallest.id} has ${fmtInt(smallest.units)} units; judge after ${fmtInt(input.minUnits)} per variant.`,
      reasons: [`too early: ${smallest.id} has ${fmtInt(smallest.units)} of the ${fmtInt(input.minUnits)} units per variant needed before any verdict`, ...watch],
    };
  }
  const better = primary.comparisons.filter((c) => c.significant && c.better === true);
  if (better.length) {
    const best = better.reduce((a, b) => (Math.abs(b.absolute.estimate) > Math.abs(a.absolute.estimate) ? b : a));
    return {
      action: "promote",
      variant: best.variant,
      summary: `Promote ${best.variant}: it improves ${primary.metric} significantly and no guardrail is breached.`,
      reasons: [describeLift(best, primary), ...watch],
    };
  }
  const worse = primary.comparisons.filter((c) => c.significant && c.better === false);
  if (worse.length && worse.length === primary.comparisons.length) {
    return {
      action: "roll-back",
      variant: input.control,
      summary: `Roll back to ${input.control}: ${primary.metric} is significantly worse.`,
      reasons: worse.map((c) => describeLift(c, primary)),
    };
  }
  const needed = sampleNeeded(input, primary);
  const effect = `${(input.minimumDetectableEffect * 100).toFixed(0)}%`;
  const reasons = [
    ...primary.comparisons.map((c) => `${describeLift(c, primary)}: not significant`),
    ...worse.map((c) => `${c.variant} is significantly worse than ${c.control}; consider setting its weight to 0`),
    ...watch,
  ];
  if (needed && needed.additionalPerVariant > 0) {
    return {
      action: "inconclusive",
      summary: `Inconclusive: no significant difference yet; about ${fmtInt(needed.additionalPerVariant)} more units per variant (${fmtInt(needed.perVariant)} per variant in all) are needed to detect a ${effect} lift.`,
      reasons,
      sampleNeeded: needed,
    };
  }
  if (!needed) {
    return {
      action: "inconclusive",
      summary: `Inconclusive: no significant difference, and with a control ${primary.type === "rate" ? "rate" : "mean"} of 0 the sample needed cannot be estimated.`,
      reasons,
    };
  }
  return {
    action: "inconclusive",
    summary: `Inconclusive: the sample can detect a ${effect} lift and found none; the true effect is likely smaller. Keep ${input.control} or decide on other grounds.`,
    reasons,
    sampleNeeded: needed,
  };
}
