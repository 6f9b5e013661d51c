/** A rollout report as plain text: aligned tables, then the verdict and its reasons. */
import type { ExplainOptions } from "../decisions/explain.js";
import { resolveLocale, type Locale } from "../i18n/locale.js";
import { displayWidth } from "../i18n/text-table.js";
import { sayRollout } from "./explain.js";
import { guardrailStatusText, guardrailText, recommendationText } from "./report-text.js";
import type { MetricComparison, MetricReport, RolloutReport, VariantMetric } from "./report-types.js";

const int = (n: number): string => Math.round(n).toLocaleString("en-US");
const pct = (x: number, digits = 2): string => `${(x * 100).toFixed(digits)}%`;
const num = (x: number): string => x.toFixed(2);
const signed = (s: string): string => (s.startsWith("-") ? s : `+${s}`);
const pValue = (p: number): string => (p < 0.0001 ? "<0.0001" : p.toFixed(4));

function table(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!))));
  const pad = (c: string, w: number): string => " ".repeat(Math.max(0, w - displayWidth(c)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (right[i] ? pad(c, widths[i]!) + c : c + pad(c, widths[i]!))).join(" | ")} |`;
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

function metricTable(m: MetricReport, locale: Locale): string[] {
  const isRate = m.type === "rate";
  const say = (k: Parameters<typeof sayRollout>[1], p?: Parameters<typeof sayRollout>[2]): string => sayRollout(locale, k, p);
  const header = [say("colVariant"), say("colUnits"), ...(isRate ? [say("colConversions"), say("colRate")] : [say("colMean"), say("colSd")]), say("colAbsLift"), say("colRelLift"), say("colPValue")];
  const rows = m.variants.map((v: VariantMetric) => {
    const c = m.comparisons.find((x) => x.variant === v.variant);
    const values = isRate ? [int(v.conversions ?? 0), pct(v.rate ?? 0)] : [num(v.mean ?? 0), num(v.sd ?? 0)];
    return [v.variant, int(v.units), ...values, ...lift(c, m.type)];
  });
  const title = say("metricTitle", { metric: m.metric, type: m.type, role: m.role, lower: m.higherIsBetter ? "" : say("lowerIsBetter") });
  return [title, ...table(header, rows, [false, true, true, true, true, true, true])];
}

/**
 * Render a report as text for terminals and logs.
 *
 * @param report - from `analyzeRollout`
 * @param options - `locale`: `en` (default) or `zh-CN`: headings, columns,
 *   guardrail messages and the recommendation's summary and reasons, rendered
 *   from the report's fields (the report's own `message`, `summary` and
 *   `reasons` stay English; a field the report lacks falls back to them)
 * @returns the report as aligned tables followed by the recommendation
 * @example
 * ```ts
 * console.log(explainRolloutReport(analyzeRollout(rollout, events)));
 * ```
 */
export function explainRolloutReport(report: RolloutReport, options: ExplainOptions = {}): string {
  const locale = resolveLocale(options.locale);
  const say = (k: Parameters<typeof sayRollout>[1], p?: Parameters<typeof sayRollout>[2]): string => sayRollout(locale, k, p);
  const { rollout, data, srm, recommendation: rec } = report;
  const out: string[] = [];
  out.push(say("reportHead", { id: rollout.id, version: rollout.version, status: rollout.status, control: rollout.control }));
  const skipped = data.unknownVariantExposures + data.unmatchedMetricEvents + data.preExposureMetricEvents;
  out.push(
    say("reportData", {
      units: int(data.units),
      exposures: int(data.exposures),
      events: int(data.metricEvents),
      crossover: int(data.crossoverUnits),
      skipped: int(skipped),
    }),
  );
  out.push("");
  out.push(
    ...table(
      [say("colVariant"), say("colWeight"), say("colUnits"), say("colExpected")],
      report.variants.map((v) => [v.id, pct(v.share, 1), int(v.units), srm && v.id in srm.expected ? int(srm.expected[v.id]!) : "-"]),
      [false, true, true, true],
    ),
  );
  out.push(
    srm
      ? say("srm", { chi: srm.chiSquare.toFixed(2), df: srm.df, p: srm.pValue.toPrecision(3), verdict: srm.flagged ? say("srmMismatch", { threshold: srm.threshold }) : say("srmOk") })
      : say("srmNotChecked"),
  );
  for (const m of report.metrics) {
    out.push("", ...metricTable(m, locale));
  }
  const arms = report.metrics[0]?.comparisons.length ?? 0;
  if (report.metrics.length) out.push(say("significant", { alpha: Number(report.alpha.toPrecision(3)), bonferroni: arms > 1 ? say("bonferroni", { arms }) : "" }));
  if (report.guardrails.length) {
    out.push("", say("guardrails"));
    for (const g of report.guardrails) {
      out.push(locale === "en" ? `- [${g.status}] ${g.message}` : `- [${guardrailStatusText(g.status, locale)}] ${guardrailText(report, g, locale) ?? g.message}`);
    }
  }
  const text = locale === "en" ? undefined : recommendationText(report, locale);
  out.push("", say("recommendation", { action: `${rec.action.toUpperCase()}${rec.variant ? ` ${rec.variant}` : ""}` }), `  ${text?.summary ?? rec.summary}`);
  for (const r of text?.reasons ?? rec.reasons) out.push(`  - ${r}`);
  return out.join("\n");
}
