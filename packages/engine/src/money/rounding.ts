/**
 * Rounding of exact quotients. Every rounding in Ruleflow's money code goes
 * through {@link divideRounded}: integers in, integer out, no floating point.
 */
import { EvaluationError } from "../core/errors.js";

/**
 * How an exact amount becomes an amount at a given scale.
 *
 * - `half-up`: to the nearest; a tie goes away from zero (2.5 → 3, -2.5 → -3).
 * - `half-even`: to the nearest; a tie goes to the even neighbour (2.5 → 2, 3.5 → 4), "banker's rounding".
 * - `down`: toward zero (2.9 → 2, -2.9 → -2), i.e. truncation.
 * - `up`: away from zero (2.1 → 3, -2.1 → -3).
 */
export type RoundingMode = "half-up" | "half-even" | "down" | "up";

/** Every {@link RoundingMode}, for schemas and docs. */
export const ROUNDING_MODES = ["half-up", "half-even", "down", "up"] as const satisfies readonly RoundingMode[];

/**
 * Divide two integers and round the exact quotient with `mode`.
 *
 * @param numerator - the dividend
 * @param denominator - the divisor, not zero (a negative divisor is allowed)
 * @param mode - the rounding mode: `half-up`, `half-even`, `down` or `up`
 * @returns the rounded quotient
 * @throws {@link EvaluationError} when `denominator` is zero, an operand is not a BigInt, or `mode` is unknown
 *
 * @example
 * ```ts
 * divideRounded(25n, 10n, "half-even"); // 2n
 * divideRounded(-25n, 10n, "half-up");  // -3n
 * divideRounded(29n, 10n, "down");      // 2n
 * ```
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (typeof numerator !== "bigint" || typeof denominator !== "bigint") {
    const [name, v] = typeof numerator !== "bigint" ? ["numerator", numerator] : ["denominator", denominator];
    throw new EvaluationError(`divideRounded: ${name} must be a BigInt, got ${typeof v === "string" ? JSON.stringify(v) : String(v)}`);
  }
  if (denominator === 0n) throw new EvaluationError("divideRounded: denominator must not be zero");
  let n = numerator;
  let d = denominator;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d;
  const r = n % d;
  if (mode !== "half-even" && mode !== "half-up" && mode !== "down" && mode !== "up") {
    throw new EvaluationError(`divideRounded: mode must be one of ${ROUNDING_MODES.join(", ")}; got ${typeof mode === "string" ? JSON.stringify(mode) : String(mode)}`);
  }
  if (r === 0n) return q;
  const away = n < 0n ? q - 1n : q + 1n;
  switch (mode) {
    case "down":
      return q;
    case "up":
      return away;
    case "half-up":
    case "half-even": {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice > d) return away;
      if (twice < d) return q;
      if (mode === "half-up") return away;
      return q % 2n === 0n ? q : away;
    }
  }
}

/**
 * Floor division: the largest integer not above `numerator / denominator`.
 *
 * @param numerator - the dividend
 * @param denominator - a positive divisor
 * @returns the floor of the exact quotient
 * @example
 * ```ts
 * floorDivide(-7n, 2n); // -4n
 * ```
 */
export function floorDivide(numerator: bigint, denominator: bigint): bigint {
  const q = numerator / denominator;
  return numerator % denominator !== 0n && numerator < 0n !== denominator < 0n ? q - 1n : q;
}

const POWERS: bigint[] = [];
for (let i = 0, p = 1n; i <= 40; i++, p *= 10n) POWERS.push(p);

/**
 * 10 to the power `exponent`, as a BigInt (cached for small exponents).
 *
 * @param exponent - a non-negative integer
 * @returns `10n ** BigInt(exponent)`
 * @example
 * ```ts
 * pow10(2); // 100n
 * ```
 */
export function pow10(exponent: number): bigint {
  return POWERS[exponent] ?? 10n ** BigInt(exponent);
}
