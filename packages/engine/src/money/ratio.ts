/**
 * Exact rational numbers over BigInt, for the few places where a quotient
 * must stay exact until the last step (a blended incremental rate, a line's
 * share of a capped total). Denominators are kept positive; additions with
 * equal or dividing denominators avoid growth, and {@link reduceRatio} is
 * there for results that are kept.
 *
 * @internal
 */
import type { Decimal } from "../core/decimal.js";
import { divideRounded, pow10 } from "./rounding.js";

/** `n / d` with `d > 0`. @internal */
export interface Ratio {
  readonly n: bigint;
  readonly d: bigint;
}

/** Zero. @internal */
export const ZERO_RATIO: Ratio = { n: 0n, d: 1n };

/** A ratio from an exact decimal. @internal */
export function decimalRatio(d: Decimal): Ratio {
  return { n: d.units, d: pow10(d.scale) };
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Lowest terms. @internal */
export function reduceRatio(r: Ratio): Ratio {
  if (r.n === 0n) return ZERO_RATIO;
  const g = gcd(r.n, r.d);
  return g === 1n ? r : { n: r.n / g, d: r.d / g };
}

/** Least common multiple of two positive integers. @internal */
export function lcm(a: bigint, b: bigint): bigint {
  if (a === b || a % b === 0n) return a;
  if (b % a === 0n) return b;
  return (a / gcd(a, b)) * b;
}

/** `a + b`. @internal */
export function addRatio(a: Ratio, b: Ratio): Ratio {
  if (a.d === b.d) return { n: a.n + b.n, d: a.d };
  if (a.d % b.d === 0n) return { n: a.n + b.n * (a.d / b.d), d: a.d };
  if (b.d % a.d === 0n) return { n: a.n * (b.d / a.d) + b.n, d: b.d };
  return reduceRatio({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
}

/** `a - b`. @internal */
export function subtractRatio(a: Ratio, b: Ratio): Ratio {
  return addRatio(a, { n: -b.n, d: b.d });
}

/** `a × b`. @internal */
export function multiplyRatio(a: Ratio, b: Ratio): Ratio {
  return { n: a.n * b.n, d: a.d * b.d };
}

/**
 * Decimal text of a ratio: exact when it terminates within `maxScale`
 * decimals, otherwise rounded half-even to `maxScale`. Trailing zeros are
 * dropped (`"0.035"`), at least one digit stays after a point.
 * @internal
 */
export function formatRatio(r: Ratio, maxScale = 10): string {
  const units = divideRounded(r.n * pow10(maxScale), r.d, "half-even");
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(maxScale + 1, "0");
  const int = digits.slice(0, digits.length - maxScale);
  const frac = digits.slice(digits.length - maxScale).replace(/0+$/, "");
  return `${neg ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}
