/**
 * The tests a rollout report runs: a two-proportion z test for rates,
 * Welch's t test for means, and a chi-square goodness-of-fit test for the
 * sample-ratio-mismatch check. Each comparison reports the absolute
 * difference and the relative lift with confidence intervals; the relative
 * interval uses the delta method on the ratio of the two estimates.
 */
import { chiSquareSf } from "./chi-square.js";
import { normalQuantile, normalTwoSidedP } from "./normal.js";
import { studentTQuantile, studentTTwoSidedP } from "./student-t.js";

/** An estimate with a two-sided confidence interval. */
export interface Estimate {
  estimate: number;
  /** `[lower, upper]` at the requested confidence level. */
  ci: [number, number];
}

/** The result of comparing a treatment with a control. */
export interface Comparison {
  /** Which test produced it. */
  test: "two-proportion-z" | "welch-t";
  /** Treatment minus control. */
  absolute: Estimate;
  /** (treatment - control) / control; null when the control value is 0. */
  relative: Estimate | null;
  /** The z or t statistic. */
  statistic: number;
  /** Degrees of freedom (Welch only). */
  df?: number | undefined;
  /** Two-sided p-value of "no difference". */
  pValue: number;
  /** The confidence level of the intervals, such as 0.95. */
  confidence: number;
}

/** Sample summary of a rate: `conversions` successes out of `units`. */
export interface RateSample {
  units: number;
  conversions: number;
}

/** Sample summary of a per-unit value: count, mean and sample variance (n - 1). */
export interface MeanSample {
  units: number;
  mean: number;
  variance: number;
}

function relativeEstimate(
  control: number,
  treatment: number,
  varControl: number,
  varTreatment: number,
  crit: number,
): Estimate | null {
  if (control === 0) return null;
  const ratio = treatment / control;
  // Delta method: Var(T/C) ≈ Var(T)/C² + T²·Var(C)/C⁴
  const se = Math.sqrt(varTreatment / (control * control) + (treatment * treatment * varControl) / control ** 4);
  return { estimate: ratio - 1, ci: [ratio - 1 - crit * se, ratio - 1 + crit * se] };
}

/**
 * Two-proportion z test. The p-value uses the pooled standard error (the
 * null hypothesis is "same rate"); the confidence intervals use unpooled ones.
 *
 * @param control - control units and conversions
 * @param treatment - treatment units and conversions
 * @param confidence - confidence level of the intervals, default 0.95
 * @returns differences, intervals, z and the two-sided p-value
 * @example
 * ```ts
 * twoProportionTest({ units: 1000, conversions: 100 }, { units: 1000, conversions: 130 }).pValue; // about 0.035
 * ```
 */
export function twoProportionTest(control: RateSample, treatment: RateSample, confidence = 0.95): Comparison {
  const n1 = control.units;
  const n2 = treatment.units;
  const p1 = n1 > 0 ? control.conversions / n1 : 0;
  const p2 = n2 > 0 ? treatment.conversions / n2 : 0;
  const diff = p2 - p1;
  const crit = normalQuantile(1 - (1 - confidence) / 2);
  const v1 = n1 > 0 ? (p1 * (1 - p1)) / n1 : 0;
  const v2 = n2 > 0 ? (p2 * (1 - p2)) / n2 : 0;
  const se = Math.sqrt(v1 + v2);
  const pooled = n1 + n2 > 0 ? (control.conversions + treatment.conversions) / (n1 + n2) : 0;
  const se0 = n1 > 0 && n2 > 0 ? Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2)) : 0;
  const z = se0 > 0 ? diff / se0 : diff === 0 ? 0 : Math.sign(diff) * Infinity;
  return {
    test: "two-proportion-z",
    absolute: { estimate: diff, ci: [diff - crit * se, diff + crit * se] },
    relative: relativeEstimate(p1, p2, v1, v2, crit),
    statistic: z,
    pValue: n1 > 0 && n2 > 0 ? normalTwoSidedP(z) : 1,
    confidence,
  };
}

/**
 * Welch's unequal-variances t test, with Welch-Satterthwaite degrees of freedom.
 *
 * @param control - control count, mean and sample variance
 * @param treatment - treatment count, mean and sample variance
 * @param confidence - confidence level of the intervals, default 0.95
 * @returns differences, intervals, t, df and the two-sided p-value
 * @example
 * ```ts
 * welchTest({ units: 500, mean: 100, variance: 400 }, { units: 500, mean: 103, variance: 450 }).pValue; // about 0.022
 * ```
 */
export function welchTest(control: MeanSample, treatment: MeanSample, confidence = 0.95): Comparison {
  const { units: n1, mean: m1, variance: s1 } = control;
  const { units: n2, mean: m2, variance: s2 } = treatment;
  const diff = m2 - m1;
  const v1 = n1 > 0 ? s1 / n1 : 0;
  const v2 = n2 > 0 ? s2 / n2 : 0;
  const se = Math.sqrt(v1 + v2);
  const denom = (n1 > 1 ? (v1 * v1) / (n1 - 1) : 0) + (n2 > 1 ? (v2 * v2) / (n2 - 1) : 0);
  const df = denom > 0 ? ((v1 + v2) * (v1 + v2)) / denom : Math.max(1, n1 + n2 - 2);
  const crit = studentTQuantile(1 - (1 - confidence) / 2, df);
  const t = se > 0 ? diff / se : diff === 0 ? 0 : Math.sign(diff) * Infinity;
  const valid = n1 > 1 && n2 > 1;
  return {
    test: "welch-t",
    absolute: { estimate: diff, ci: [diff - crit * se, diff + crit * se] },
    relative: relativeEstimate(m1, m2, v1, v2, crit),
    statistic: t,
    df,
    pValue: valid ? studentTTwoSidedP(t, df) : 1,
    confidence,
  };
}

/** Result of {@link chiSquareGoodnessOfFit}. */
export interface GoodnessOfFit {
  chiSquare: number;
  df: number;
  pValue: number;
  /** Expected counts under the hypothesised shares. */
  expected: number[];
}

/**
 * Pearson's chi-square goodness-of-fit test: do `observed` counts fit the
 * `shares` (which are normalised to sum to 1)?
 *
 * @param observed - counts per category
 * @param shares - expected share per category (any positive scale)
 * @returns the statistic, degrees of freedom (categories - 1) and p-value
 * @example
 * ```ts
 * chiSquareGoodnessOfFit([52000, 48000], [1, 1]).pValue; // about 1.1e-36: a sample ratio mismatch
 * ```
 */
export function chiSquareGoodnessOfFit(observed: readonly number[], shares: readonly number[]): GoodnessOfFit {
  const total = observed.reduce((a, b) => a + b, 0);
  const shareSum = shares.reduce((a, b) => a + b, 0);
  const expected = shares.map((s) => (shareSum > 0 ? (total * s) / shareSum : 0));
  let chi = 0;
  let categories = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i]!;
    if (e > 0) {
      chi += (observed[i]! - e) ** 2 / e;
      categories++;
    } else if (observed[i]! > 0) chi = Infinity;
  }
  const df = Math.max(1, categories - 1);
  return { chiSquare: chi, df, pValue: total > 0 && categories > 1 ? chiSquareSf(chi, df) : 1, expected };
}
