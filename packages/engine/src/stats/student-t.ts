/**
 * Student's t distribution with ν degrees of freedom (ν may be fractional,
 * as Welch's test produces). The CDF uses the regularized incomplete beta
 * function: P(T > t) = I_{ν/(ν+t²)}(ν/2, 1/2) / 2 for t > 0. The quantile
 * starts from the Cornish-Fisher expansion around the normal quantile and is
 * polished by Newton steps kept inside a bracket.
 */
import { normalCdf, normalQuantile } from "./normal.js";
import { incompleteBeta, logGamma } from "./special.js";

/** Beyond this many degrees of freedom the t and normal distributions agree to about 1e-8. */
const NORMAL_LIMIT = 1e8;

function upperTail(t: number, df: number): number {
  // P(T > t) for t >= 0
  return 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * Density of Student's t distribution.
 *
 * @param t - any number
 * @param df - degrees of freedom, > 0
 * @returns the density at `t`
 * @example
 * ```ts
 * studentTPdf(0, 1); // 1/π = 0.3183098861837907
 * ```
 */
export function studentTPdf(t: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Cumulative distribution function of Student's t distribution.
 *
 * @param t - any number
 * @param df - degrees of freedom, > 0 (fractional allowed)
 * @returns P(T <= t)
 * @example
 * ```ts
 * studentTCdf(2.228138851986273, 10); // 0.975
 * ```
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) return Number.NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  if (df > NORMAL_LIMIT) return normalCdf(t);
  const tail = upperTail(Math.abs(t), df);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Two-sided tail probability P(|T| >= |t|), the p-value of a t statistic.
 *
 * @param t - a t statistic
 * @param df - degrees of freedom, > 0
 * @returns the two-sided p-value
 * @example
 * ```ts
 * studentTTwoSidedP(2.228138851986273, 10); // 0.05
 * ```
 */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  if (df > NORMAL_LIMIT) return 2 * normalCdf(-Math.abs(t));
  return 2 * upperTail(Math.abs(t), df);
}

/** Cornish-Fisher expansion of the t quantile around the normal quantile z. */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z2 + 1) * z / 4;
  const g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  return z + g1 / df + g2 / (df * df) + g3 / (df * df * df);
}

/**
 * Quantile (inverse CDF) of Student's t distribution.
 *
 * @param p - a probability in (0, 1)
 * @param df - degrees of freedom, > 0 (fractional allowed)
 * @returns t such that P(T <= t) = p
 * @example
 * ```ts
 * studentTQuantile(0.975, 10); // 2.2281388519649385
 * ```
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (df > NORMAL_LIMIT) return normalQuantile(p);
  const sign = p < 0.5 ? -1 : 1;
  const q = p < 0.5 ? p : 1 - p; // target upper tail
  if (df === 1) return sign * Math.tan(Math.PI * (0.5 - q));
  if (df === 2) return sign * Math.sqrt(2 / (4 * q * (1 - q)) - 2);
  // Newton on upperTail(t) = q, t > 0, kept within [lo, hi].
  let lo = 0;
  let hi = Infinity;
  let t = Math.max(cornishFisher(normalQuantile(1 - q), df), 1e-8);
  for (let i = 0; i < 200; i++) {
    const f = upperTail(t, df) - q; // decreasing in t
    if (f > 0) lo = t;
    else hi = t;
    const step = f / studentTPdf(t, df);
    let next = t + step;
    if (!(next > lo && next < hi)) next = hi === Infinity ? Math.max(2 * t, lo + 1) : (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) return sign * next;
    t = next;
  }
  return sign * t;
}
