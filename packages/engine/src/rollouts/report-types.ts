/** The shape of a rollout report. */
import type { RolloutStatus } from "../schema/rollout.js";
import type { Comparison } from "../stats/hypothesis-tests.js";
import type { DataSummary } from "./report-data.js";

/** One variant's numbers for one metric. */
export interface VariantMetric {
  variant: string;
  units: number;
  /** Rates: units with the event. */
  conversions?: number | undefined;
  /** Rates: conversions / units. */
  rate?: number | undefined;
  /** Means: average per-unit total. */
  mean?: number | undefined;
  /** Means: sample standard deviation of the per-unit totals. */
  sd?: number | undefined;
}

/** A treatment compared with the control on one metric. */
export interface MetricComparison extends Comparison {
  variant: string;
  /** The control it was compared with. */
  control: string;
  /** p-value below the (Bonferroni-adjusted) significance level. */
  significant: boolean;
  /** True when the change goes the metric's good way, false the bad way, null when there is no change. */
  better: boolean | null;
}

/** A metric analysed across variants. */
export interface MetricReport {
  metric: string;
  type: "rate" | "mean";
  role: "primary" | "secondary" | "guardrail";
  higherIsBetter: boolean;
  variants: VariantMetric[];
  comparisons: MetricComparison[];
}

/** The state of one guardrail for one treatment. */
export type GuardrailStatus = "ok" | "watch" | "breached" | "insufficient-data";

/** A guardrail checked for one treatment. */
export interface GuardrailReport {
  metric: string;
  variant: string;
  /** Which direction is a degradation, and how much is allowed. */
  limit: { maxIncrease: number } | { maxDecrease: number };
  relative: boolean;
  /** How much worse the treatment is (positive = worse), absolute or relative as configured. */
  degradation: number | null;
  /** 95% interval of the degradation. */
  ci: [number, number] | null;
  pValue: number | null;
  status: GuardrailStatus;
  message: string;
}

/** The sample-ratio-mismatch check. */
export interface SrmCheck {
  chiSquare: number;
  df: number;
  pValue: number;
  /** True when pValue < threshold: the split is not what the weights promise. */
  flagged: boolean;
  threshold: number;
  observed: Record<string, number>;
  expected: Record<string, number>;
}

/** What to do next. */
export type RecommendedAction = "keep-running" | "promote" | "roll-back" | "inconclusive" | "investigate";

/** The report's verdict, with its reasons. */
export interface Recommendation {
  action: RecommendedAction;
  /** The variant to promote (promote) or to return to (roll-back). */
  variant?: string | undefined;
  /** One plain sentence. */
  summary: string;
  /** Every reason, most important first. */
  reasons: string[];
  /** Inconclusive: units per variant needed to detect the minimum detectable effect. */
  sampleNeeded?: { perVariant: number; additionalPerVariant: number; relativeEffect: number; power: number } | undefined;
}

/** Everything a rollout report says. */
export interface RolloutReport {
  rollout: { id: string; version: number; status: RolloutStatus; control: string };
  data: DataSummary;
  variants: { id: string; share: number; units: number }[];
  /** Null when there are fewer than two variants with weight, or no units. */
  srm: SrmCheck | null;
  metrics: MetricReport[];
  guardrails: GuardrailReport[];
  /** The significance level used per comparison after the Bonferroni adjustment. */
  alpha: number;
  /** Units each variant needs before any verdict (`metrics.minUnitsPerVariant`, default 100). */
  minUnitsPerVariant?: number | undefined;
  recommendation: Recommendation;
}
