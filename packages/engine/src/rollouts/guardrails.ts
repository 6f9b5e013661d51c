/**
 * Guardrails: metrics a treatment may not degrade by more than a limit. A
 * guardrail is breached when the treatment is worse than control by more
 * than the limit AND the difference is statistically significant at the
 * report's level (unadjusted: for safety, each guardrail is judged on its
 * own). Worse than the limit but not yet significant, or significantly worse
 * but within the limit, is a `watch`.
 */
import type { Guardrail } from "../schema/rollout.js";
import type { GuardrailReport, MetricReport } from "./report-types.js";

/** Format a metric delta: rates in percentage points, means as numbers. @internal */
export function formatDelta(x: number, type: "rate" | "mean", relative: boolean): string {
  if (relative) return `${(x * 100).toFixed(1)}%`;
  return type === "rate" ? `${(x * 100).toFixed(2)} pts` : String(Number(x.toPrecision(4)));
}

/**
 * Check every guardrail for every treatment.
 * @internal
 */
export function checkGuardrails(
  guardrails: readonly Guardrail[],
  reports: readonly MetricReport[],
  options: { alpha: number; minUnits: number },
): GuardrailReport[] {
  const out: GuardrailReport[] = [];
  guardrails.forEach((g, i) => {
    const report = reports.filter((r) => r.role === "guardrail")[i];
    if (!report) return;
    const increaseIsBad = g.maxIncrease !== undefined;
    const allowed = (g.maxIncrease ?? g.maxDecrease)!;
    const limit = increaseIsBad ? { maxIncrease: allowed } : { maxDecrease: allowed };
    const control = report.variants.find((v) => v.variant === report.comparisons[0]?.control);
    for (const c of report.comparisons) {
      const treatment = report.variants.find((v) => v.variant === c.variant)!;
      const base = { metric: g.metric, variant: c.variant, limit, relative: g.relative };
      const estimate = g.relative ? c.relative : c.absolute;
      if (!control || control.units < options.minUnits || treatment.units < options.minUnits || estimate === null) {
        out.push({
          ...base,
          degradation: null,
          ci: null,
          pValue: null,
          status: "insufficient-data",
          message: `${g.metric} in ${c.variant}: not enough data yet (${Math.min(control?.units ?? 0, treatment.units)} units in the smaller group, ${options.minUnits} needed${estimate === null ? ", and the control value is 0" : ""})`,
        });
        continue;
      }
      const sign = increaseIsBad ? 1 : -1;
      const degradation = sign * estimate.estimate;
      const ci: [number, number] = increaseIsBad ? [estimate.ci[0], estimate.ci[1]] : [-estimate.ci[1], -estimate.ci[0]];
      const significantlyWorse = c.pValue < options.alpha && degradation > 0;
      const overLimit = degradation > allowed;
      const status = overLimit && significantlyWorse ? "breached" : overLimit || significantlyWorse ? "watch" : "ok";
      const moved = `${increaseIsBad ? "rose" : "fell"} by ${formatDelta(Math.max(0, degradation), report.type, g.relative)}`;
      const interval = `95% CI of the ${increaseIsBad ? "rise" : "fall"} ${formatDelta(ci[0], report.type, g.relative)} to ${formatDelta(ci[1], report.type, g.relative)}, p = ${c.pValue.toPrecision(2)}`;
      const allowance = `allowed ${formatDelta(allowed, report.type, g.relative)}`;
      const message =
        degradation <= 0
          ? `${g.metric} in ${c.variant} did not get worse (${interval}); ${allowance}`
          : `${g.metric} ${moved} in ${c.variant} (${interval}); ${allowance}${status === "breached" ? ": BREACHED" : status === "watch" ? ": watch" : ""}`;
      out.push({ ...base, degradation, ci, pValue: c.pValue, status, message });
    }
  });
  return out;
}
