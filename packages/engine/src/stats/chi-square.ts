/**
 * The chi-square distribution with k degrees of freedom, through the
 * regularized incomplete gamma function: P(X <= x) = P(k/2, x/2).
 */
import { gammaP, gammaQ } from "./special.js";

/**
 * Cumulative distribution function of the chi-square distribution.
 *
 * @param x - a value >= 0
 * @param df - degrees of freedom, > 0
 * @returns P(X <= x)
 * @example
 * ```ts
 * chiSquareCdf(3.841458820694124, 1); // 0.95
 * ```
 */
export function chiSquareCdf(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  return gammaP(df / 2, x / 2);
}

/**
 * Upper tail P(X >= x) of the chi-square distribution: the p-value of a
 * chi-square statistic, precise for very small p-values.
 *
 * @param x - a chi-square statistic >= 0
 * @param df - degrees of freedom, > 0
 * @returns P(X >= x)
 * @example
 * ```ts
 * chiSquareSf(10.827566170662733, 1); // 0.001
 * ```
 */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}
