/** A rollout report as plain text: aligned tables, then the verdict and its reasons. */
import type { MetricComparison, MetricReport, RolloutReport, VariantMetric } from "./report-types.js";

const int = (n: number): string => Math.round(n).toLocaleString("en-US");
const pct = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)}%`;
const num = (x: number): string => x.toFixed(2);
const signed = (s: string): string => (s.startsWith("-") ? s : `+${s}`);
const pValue = (p: number): string => (p < 0.0001 ? "<0.0001" : p.toFixed(4));

function table(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (right[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`, ...rows.map(line)];
}

function lift(c: MetricComparison | undefined, type: "rate" | "mean"): [string, string, string] {
  if (!c) return ["", "", ""];
  const abs = (x: number) => (type === "rate" ? `${(x * 100).toFixed(2)}` : num(x));
  const unit = type === "rate" ? " pts" : "";
  const absolute = `${signed(abs(c.absolute.estimate))}${unit} [${abs(c.absolute.ci[0])}, ${abs(c.absolute.ci[1])}]`;
  const relative = c.relative ? `${signed(pct(c.relative.estimate, 1))} [${pct(c.relative.ci[0], 1)}, ${pct(c.relative.ci[1], 1)}]` : "n/a";
  return [absolute, relative, `${pValue(c.pValue)}${c.significant ? " *" : ""}`];
}

function metricTable(m: MetricReport): string[] {
  const isRate = m.type === "rate";
  const header = ["variant", "units", ...(isRate ? ["conversions", "rate"] : ["mean", "sd"]), "abs. lift [95% CI]", "rel. lift [95% CI]", "p-value"];
  const rows = m.variants.map((v: VariantMetric) => {
    const c = m.comparisons.find((x) => x.variant === v.variant);
    const values = isRate ? [int(v.conversions ?? 0), pct(v.rate ?? 0)] : [num(v.mean ?? 0), num(v.sd ?? 0)];
    return [v.variant, int(v.units), ...values, ...lift(c, m.type)];
  });
  const title = `${m.metric} (${m.type}, ${m.role}${m.higherIsBetter ? "" : ", lower is better"})`;
  return [title, ...table(header, rows, [false, true, true, true, true, true, true])];
}

/**
 * Render a report as text for terminals and logs.
 *
 * @param report - from `analyzeRollout`
 * @returns the report as aligned tables followed by the recommendation
 * @example
 * ```ts
 * console.log(formatRolloutReport(analyzeRollout(rollout, events)));
 * ```
 */
export function formatRolloutReport(report: RolloutReport): string {
  const { rollout, data, srm, recommendation: rec } = report;
  const out: string[] = [];
  out.push(`Rollout ${rollout.id} v${rollout.version} (${rollout.status}), control ${rollout.control}`);
  const skipped = data.unknownVariantExposures + data.unmatchedMetricEvents + data.preExposureMetricEvents;
  out.push(
    `Data: ${int(data.units)} units from ${int(data.exposures)} exposures, ${int(data.metricEvents)} metric events` +
      `; ${int(data.crossoverUnits)} crossover units excluded, ${int(skipped)} events skipped`,
  );
  out.push("");
  out.push(
    ...table(
      ["variant", "weight", "units", "expected"],
      report.variants.map((v) => [v.id, pct(v.share, 1), int(v.units), srm && v.id in srm.expected ? int(srm.expected[v.id]!) : "-"]),
      [false, true, true, true],
    ),
  );
  out.push(
    srm
      ? `Sample ratio: chi-square ${srm.chiSquare.toFixed(2)}, df ${srm.df}, p = ${srm.pValue.toPrecision(3)}${srm.flagged ? `  MISMATCH (p < ${srm.threshold})` : " (ok)"}`
      : "Sample ratio: not checked (no units, or fewer than two weighted variants)",
  );
  for (const m of report.metrics) {
    out.push("", ...metricTable(m));
  }
  const arms = report.metrics[0]?.comparisons.length ?? 0;
  if (report.metrics.length) out.push(`* significant at alpha ${Number(report.alpha.toPrecision(3))}${arms > 1 ? ` (Bonferroni: alpha / ${arms} treatments)` : ""}`);
  if (report.guardrails.length) {
    out.push("", "Guardrails");
    for (const g of report.guardrails) out.push(`- [${g.status}] ${g.message}`);
  }
  out.push("", `Recommendation: ${rec.action.toUpperCase()}${rec.variant ? ` ${rec.variant}` : ""}`, `  ${rec.summary}`);
  for (const r of rec.reasons) out.push(`  - ${r}`);
  return out.join("\n");
}
