/**
 * A rollout report's guardrail messages and recommendation in a locale,
 * rendered from the report's structured fields (the report JSON keeps the
 * English texts the analysis wrote). Mirrors guardrails.ts and recommend.ts;
 * a test checks that the English rendering equals what they wrote.
 */
import { formatMessage, type MessageParams } from "../i18n/catalogue.js";
import type { Locale } from "../i18n/locale.js";
import { rolloutReportMessages } from "../i18n/messages/rollout-report.js";
import type { GuardrailReport, MetricComparison, MetricReport, RolloutReport } from "./report-types.js";

type Key = Extract<keyof (typeof rolloutReportMessages)["messages"]["en"], string>;

const fmtInt = (n: number): string => Math.round(n).toLocaleString("en-US");

function sayer(locale: Locale) {
  const t = (key: Key, params?: MessageParams): string => formatMessage(rolloutReportMessages, locale, key, params);
  const delta = (x: number, type: "rate" | "mean", relative: boolean): string =>
    relative ? `${(x * 100).toFixed(1)}%` : type === "rate" ? t("pts", { value: (x * 100).toFixed(2) }) : String(Number(x.toPrecision(4)));
  return { t, delta };
}

function guardrailMetric(report: RolloutReport, g: GuardrailReport): MetricReport | undefined {
  return report.metrics.find((m) => m.role === "guardrail" && m.metric === g.metric);
}

/** A guardrail's message in a locale; undefined when the report lacks what it needs. @internal */
export function guardrailText(report: RolloutReport, g: GuardrailReport, locale: Locale): string | undefined {
  const { t, delta } = sayer(locale);
  const m = guardrailMetric(report, g);
  if (!m) return undefined;
  if (g.status === "insufficient-data") {
    const control = m.variants.find((v) => v.variant === report.rollout.control);
    const treatment = m.variants.find((v) => v.variant === g.variant);
    if (!treatment || report.minUnitsPerVariant === undefined) return undefined;
    const controlValue = m.type === "rate" ? control?.rate : control?.mean;
    const zero = g.relative && control !== undefined && controlValue === 0 ? t("guardNoDataZero") : "";
    return t("guardNoData", { metric: g.metric, variant: g.variant, units: Math.min(control?.units ?? 0, treatment.units), needed: report.minUnitsPerVariant, zero });
  }
  if (g.degradation === null || g.ci === null || g.pValue === null) return undefined;
  const increaseIsBad = "maxIncrease" in g.limit;
  const allowedValue = "maxIncrease" in g.limit ? g.limit.maxIncrease : g.limit.maxDecrease;
  const interval = t("guardInterval", {
    direction: t(increaseIsBad ? "rise" : "fall"),
    low: delta(g.ci[0], m.type, g.relative),
    high: delta(g.ci[1], m.type, g.relative),
    p: g.pValue.toPrecision(2),
  });
  const allowed = delta(allowedValue, m.type, g.relative);
  if (g.degradation <= 0) return t("guardNotWorse", { metric: g.metric, variant: g.variant, interval, allowed });
  return t("guardMoved", {
    metric: g.metric,
    variant: g.variant,
    moved: t(increaseIsBad ? "rose" : "fell"),
    delta: delta(Math.max(0, g.degradation), m.type, g.relative),
    interval,
    allowed,
    verdict: g.status === "breached" ? t("guardBreached") : g.status === "watch" ? t("guardWatch") : "",
  });
}

/** A guardrail status word in a locale. @internal */
export function guardrailStatusText(status: GuardrailReport["status"], locale: Locale): string {
  return formatMessage(rolloutReportMessages, locale, `status_${status}` as Key);
}

function liftText(c: MetricComparison, m: MetricReport, locale: Locale): string {
  const { t, delta } = sayer(locale);
  const relative = c.relative ? t("liftRelative", { relative: `${c.relative.estimate >= 0 ? "+" : ""}${(c.relative.estimate * 100).toFixed(1)}%` }) : "";
  const sign = c.absolute.estimate >= 0 ? "+" : "";
  return t("lift", {
    metric: m.metric,
    delta: `${sign}${delta(c.absolute.estimate, m.type, false)}`,
    relative,
    variant: c.variant,
    control: c.control,
    low: delta(c.absolute.ci[0], m.type, false),
    high: delta(c.absolute.ci[1], m.type, false),
    p: c.pValue.toPrecision(2),
  });
}

/**
 * The recommendation's summary and reasons in a locale, following the rules
 * of recommend.ts from the report's fields; undefined when the report lacks
 * what a rule needs (the English texts are shown then).
 * @internal
 */
export function recommendationText(report: RolloutReport, locale: Locale): { summary: string; reasons: string[] } | undefined {
  const { t } = sayer(locale);
  const rec = report.recommendation;
  const control = report.rollout.control;
  const guard = (g: GuardrailReport): string | undefined => guardrailText(report, g, locale);
  const all = (xs: (string | undefined)[]): string[] | undefined => (xs.every((x) => x !== undefined) ? xs : undefined);
  const watch = all(report.guardrails.filter((g) => g.status === "watch").map(guard));
  const primary = report.metrics.find((m) => m.role === "primary");
  const units = report.variants.filter((v) => v.share > 0 || v.units > 0);
  const total = units.reduce((s, u) => s + u.units, 0);
  const breached = report.guardrails.filter((g) => g.status === "breached");
  const with_ = (summary: string, reasons: string[] | undefined) => (reasons ? { summary, reasons } : undefined);
  if (!watch) return undefined;
  switch (rec.action) {
    case "keep-running": {
      if (total === 0) return { summary: t("noUnitsSummary"), reasons: [t("noUnitsReason")] };
      if (!primary) return { summary: t("noPrimarySummary"), reasons: [t("noPrimaryReason"), ...watch] };
      if (report.minUnitsPerVariant === undefined || units.length === 0) return undefined;
      const smallest = units.reduce((m, u) => (u.units < m.units ? u : m));
      const p = { variant: smallest.id, units: fmtInt(smallest.units), needed: fmtInt(report.minUnitsPerVariant) };
      return { summary: t("tooEarlySummary", p), reasons: [t("tooEarlyReason", p), ...watch] };
    }
    case "investigate": {
      const srm = report.srm;
      if (!srm) return undefined;
      const list = (r: Record<string, number>): string => Object.entries(r).map(([v, n]) => `${v} ${fmtInt(n)}`).join(locale === "en" ? ", " : "，");
      return {
        summary: t("srmSummary"),
        reasons: [t("srmReason", { observed: list(srm.observed), expected: list(srm.expected), chi: srm.chiSquare.toFixed(1), p: srm.pValue.toPrecision(2), threshold: srm.threshold })],
      };
    }
    case "roll-back": {
      if (breached.length) return with_(t("guardRollBack", { control }), all(breached.map(guard)));
      if (!primary) return undefined;
      const worse = primary.comparisons.filter((c) => c.significant && c.better === false);
      return { summary: t("worseRollBack", { control, metric: primary.metric }), reasons: worse.map((c) => liftText(c, primary, locale)) };
    }
    case "promote": {
      const best = primary?.comparisons.find((c) => c.variant === rec.variant);
      if (!primary || !best || rec.variant === undefined) return undefined;
      return { summary: t("promoteSummary", { variant: rec.variant, metric: primary.metric }), reasons: [liftText(best, primary, locale), ...watch] };
    }
    case "inconclusive": {
      if (!primary) return undefined;
      const worse = primary.comparisons.filter((c) => c.significant && c.better === false);
      const reasons = [
        ...primary.comparisons.map((c) => t("notSignificant", { lift: liftText(c, primary, locale) })),
        ...worse.map((c) => t("considerZero", { variant: c.variant, control: c.control })),
        ...watch,
      ];
      const needed = rec.sampleNeeded;
      if (!needed) return { summary: t(primary.type === "rate" ? "cannotEstimateRate" : "cannotEstimateMean"), reasons };
      const effect = `${(needed.relativeEffect * 100).toFixed(0)}%`;
      if (needed.additionalPerVariant > 0) {
        return { summary: t("needMore", { more: fmtInt(needed.additionalPerVariant), total: fmtInt(needed.perVariant), effect }), reasons };
      }
      return { summary: t("likelySmaller", { effect, control }), reasons };
    }
    default:
      return undefined;
  }
}
