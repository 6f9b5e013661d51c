/**
 * How many units per variant a two-sided test needs to detect a given
 * relative lift with a given power: the usual normal-approximation formulas,
 * n = (z_{1-α/2} + z_{power})² · (variance of the difference per unit) / effect².
 */
import { normalQuantile } from "./normal.js";

/** Options shared by the sample-size functions. */
export interface SampleSizeOptions {
  /** Significance level (two-sided), default 0.05. */
  alpha?: number | undefined;
  /** Probability of detecting the effect when it is real, default 0.8. */
  power?: number | undefined;
}

function zSum(options: SampleSizeOptions): number {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  return normalQuantile(1 - alpha / 2) + normalQuantile(power);
}

/**
 * Units per variant needed to detect a relative lift of a conversion rate.
 *
 * @param baseline - the control rate, in (0, 1)
 * @param relativeEffect - the relative lift to detect, such as 0.1 for +10%
 * @param options - alpha and power
 * @returns units per variant (rounded up); Infinity when it cannot be computed
 * @example
 * ```ts
 * sampleSizeForRate(0.3, 0.1); // 3760 units per variant to see 30% -> 33%
 * ```
 */
export function sampleSizeForRate(baseline: number, relativeEffect: number, options: SampleSizeOptions = {}): number {
  const p1 = baseline;
  const p2 = Math.min(1, Math.max(0, baseline * (1 + relativeEffect)));
  const delta = p2 - p1;
  if (!(p1 > 0 && p1 < 1) || delta === 0) return Infinity;
  const z = zSum(options);
  return Math.ceil((z * z * (p1 * (1 - p1) + p2 * (1 - p2))) / (delta * delta));
}

/**
 * Units per variant needed to detect a relative change of a mean.
 *
 * @param baseline - the control mean (not 0)
 * @param variance - the per-unit variance (both variants assumed alike)
 * @param relativeEffect - the relative change to detect, such as 0.05
 * @param options - alpha and power
 * @returns units per variant (rounded up); Infinity when it cannot be computed
 * @example
 * ```ts
 * sampleSizeForMean(100, 400, 0.05); // 252 units per variant to see 100 -> 105 with sd 20
 * ```
 */
export function sampleSizeForMean(
  baseline: number,
  variance: number,
  relativeEffect: number,
  options: SampleSizeOptions = {},
): number {
  const delta = baseline * relativeEffect;
  if (delta === 0 || !(variance >= 0) || !Number.isFinite(delta)) return Infinity;
  const z = zSum(options);
  return Math.max(2, Math.ceil((z * z * 2 * variance) / (delta * delta)));
}
