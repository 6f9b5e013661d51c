/**
 * The public money value: integer minor units with a scale and an optional
 * currency. Arithmetic is exact (BigInt); only {@link multiplyMoney} and
 * {@link roundMoney} round, and only with the mode they are given.
 */
import { parseDecimal } from "../core/decimal.js";
import { EvaluationError } from "../core/errors.js";
import { allocateUnits } from "./allocate.js";
import { formatMinorUnits, toMinorUnits } from "./amount.js";
import { checkBigInt, checkMoney, checkRounding, describe } from "./checks.js";
import { currencyScale } from "./currency.js";
import { divideRounded, pow10, type RoundingMode } from "./rounding.js";

/** An exact amount of money: `minor / 10^scale` units of `currency`. */
export interface Money {
  /** The amount in minor units (cents for CNY or USD). */
  readonly minor: bigint;
  /** Decimal places of the minor unit. */
  readonly scale: number;
  /** ISO 4217 code, or undefined when the document named none. */
  readonly currency?: string | undefined;
}

/**
 * How to round: the mode, and the scale to round to (default: the money's own scale).
 * Both are checked: an unknown mode, or a scale that is not a whole number from 0 to the
 * money's scale, is an {@link EvaluationError}.
 */
export interface RoundingOptions {
  /** One of `half-up`, `half-even`, `down`, `up`. */
  mode: RoundingMode;
  /** Decimal places to keep: a whole number from 0 to the money's scale (2 for CNY). */
  scale?: number | undefined;
}

function scaleOf(currency: string | undefined): number {
  const s = currencyScale(currency);
  if (s === undefined) throw new EvaluationError(`unknown currency "${String(currency)}"; use an ISO 4217 code such as CNY or USD`);
  return s;
}

/**
 * Parse an amount written as a decimal string (or a number) in a currency.
 *
 * @param value - `"200000.00"`, `"12.5"`, `12.5`
 * @param currency - ISO 4217 code; omit for a currency-less amount with 2 decimals
 * @returns the exact {@link Money}
 * @throws {@link EvaluationError} for anything that is not an exact amount in that currency
 * @example
 * ```ts
 * const budget = parseMoney("200000.00", "CNY");
 * formatMoney(budget); // "200000.00"
 * ```
 */
export function parseMoney(value: string | number, currency?: string): Money {
  const scale = scaleOf(currency);
  const minor = toMinorUnits(value, scale);
  if (typeof minor === "string") throw new EvaluationError(`invalid amount${currency ? ` in ${currency}` : ""}: ${minor}`);
  return currency === undefined ? { minor, scale } : { minor, scale, currency };
}

/**
 * Make a {@link Money} from minor units.
 *
 * @param minor - the amount in minor units
 * @param currency - ISO 4217 code, or undefined for 2 decimals and no currency
 * @returns the money value
 * @throws {@link EvaluationError} when `minor` is not a BigInt or the currency is unknown
 * @example
 * ```ts
 * formatMoney(moneyFromMinor(1999n, "USD")); // "19.99"
 * ```
 */
export function moneyFromMinor(minor: bigint, currency?: string): Money {
  checkBigInt(minor, "moneyFromMinor", "minor");
  const scale = scaleOf(currency);
  return currency === undefined ? { minor, scale } : { minor, scale, currency };
}

/**
 * Format money as the decimal string used in JSON (no currency symbol).
 *
 * @param money - the amount
 * @returns `"1234.50"`, always with the money's scale
 * @throws {@link EvaluationError} when `money` is not a well-formed {@link Money}
 * @example
 * ```ts
 * formatMoney(parseMoney("7", "CNY")); // "7.00"
 * ```
 */
export function formatMoney(money: Money): string {
  checkMoney(money, "formatMoney", "money");
  return formatMinorUnits(money.minor, money.scale);
}

function same(a: Money, b: Money, op: string): void {
  if (a.currency !== b.currency || a.scale !== b.scale) {
    throw new EvaluationError(`cannot ${op} ${a.currency ?? "an amount without currency"} and ${b.currency ?? "an amount without currency"}`);
  }
}

/**
 * Exact sum of amounts in one currency.
 *
 * @param first - the first amount (fixes the currency)
 * @param rest - more amounts in the same currency
 * @returns the sum
 * @throws {@link EvaluationError} when currencies differ or an argument is not a well-formed {@link Money}
 * @example
 * ```ts
 * formatMoney(addMoney(parseMoney("0.10"), parseMoney("0.20"))); // "0.30"
 * ```
 */
export function addMoney(first: Money, ...rest: Money[]): Money {
  checkMoney(first, "addMoney", "amounts[0]");
  rest.forEach((m, i) => checkMoney(m, "addMoney", `amounts[${i + 1}]`));
  let minor = first.minor;
  for (const m of rest) {
    same(first, m, "add");
    minor += m.minor;
  }
  return { ...first, minor };
}

/**
 * Exact difference `a - b`.
 *
 * @param a - the amount to subtract from
 * @param b - the amount to subtract, same currency
 * @returns the difference
 * @throws {@link EvaluationError} when currencies differ or an argument is not a well-formed {@link Money}
 * @example
 * ```ts
 * formatMoney(subtractMoney(parseMoney("1.00"), parseMoney("0.01"))); // "0.99"
 * ```
 */
export function subtractMoney(a: Money, b: Money): Money {
  checkMoney(a, "subtractMoney", "a");
  checkMoney(b, "subtractMoney", "b");
  same(a, b, "subtract");
  return { ...a, minor: a.minor - b.minor };
}

/**
 * Compare two amounts of one currency.
 *
 * @param a - first amount
 * @param b - second amount, same currency
 * @returns -1, 0 or 1
 * @throws {@link EvaluationError} when currencies differ or an argument is not a well-formed {@link Money}
 * @example
 * ```ts
 * compareMoney(parseMoney("1.00"), parseMoney("0.99")); // 1
 * ```
 */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  checkMoney(a, "compareMoney", "a");
  checkMoney(b, "compareMoney", "b");
  same(a, b, "compare");
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

/**
 * Multiply money by an exact decimal factor (a rate, a percentage as a
 * fraction, a multiplier) and round once.
 *
 * @param money - the amount
 * @param factor - a decimal string such as `"0.035"` or `"1.1"` (never a binary float)
 * @param rounding - mode and optional scale to round to: a whole number from 0 to the money's scale (default: the money's scale)
 * @returns the rounded product, in minor units of the money's scale
 * @throws {@link EvaluationError} when `factor` is not a decimal string, or `rounding` has an unknown
 *   mode or a scale that is not a whole number from 0 to the money's scale
 * @example
 * ```ts
 * formatMoney(multiplyMoney(parseMoney("1234.56", "CNY"), "0.035", { mode: "half-even" })); // "43.21"
 * ```
 */
export function multiplyMoney(money: Money, factor: string, rounding: RoundingOptions): Money {
  checkMoney(money, "multiplyMoney", "money");
  const keep = checkRounding(rounding, money.scale, "multiplyMoney");
  // A binary float has lost its decimal text already (0.1 + 0.2): only strings are exact.
  const f = typeof factor === "string" ? parseDecimal(factor) : undefined;
  if (!f) throw new EvaluationError(`multiplyMoney: factor must be a decimal string such as "0.035", got ${describe(factor)}`);
  const exact = money.minor * f.units;
  const quantum = pow10(money.scale - keep);
  const minor = divideRounded(exact, pow10(f.scale) * quantum, rounding.mode) * quantum;
  return { ...money, minor };
}

/**
 * Round money to fewer decimal places (whole yuan, whole dollars).
 *
 * @param money - the amount
 * @param rounding - the mode and the scale to keep: a whole number from 0 to the money's scale (default: the money's scale)
 * @returns the rounded amount, still in the money's minor units
 * @throws {@link EvaluationError} for an unknown mode, a scale that is not a whole number from 0 to
 *   the money's scale (`0.5`, `-1`, `3` in CNY), or a `money` that is not a well-formed {@link Money}
 * @example
 * ```ts
 * formatMoney(roundMoney(parseMoney("12.50", "CNY"), { mode: "half-even", scale: 0 })); // "12.00"
 * ```
 */
export function roundMoney(money: Money, rounding: RoundingOptions): Money {
  checkMoney(money, "roundMoney", "money");
  const keep = checkRounding(rounding, money.scale, "roundMoney");
  const quantum = pow10(money.scale - keep);
  return { ...money, minor: divideRounded(money.minor, quantum, rounding.mode) * quantum };
}

/**
 * Split a total into parts proportional to weights, so that the parts always
 * add up to the total exactly: each part is its exact share rounded down or
 * up, and left-over cents go to the largest remainders (ties to the earlier
 * part).
 *
 * @param total - the amount to split
 * @param weights - one weight per part, at least one: decimal strings, numbers or BigInts. All zero
 *   splits evenly; otherwise they must not add up to zero (mixed signs are allowed when they do not)
 * @returns one {@link Money} per weight, summing to `total`
 * @throws {@link EvaluationError} when there are no weights, a weight is not a decimal, or
 *   non-zero weights add up to zero
 * @example
 * ```ts
 * allocateMoney(parseMoney("100.00"), ["1", "1", "1"]).map(formatMoney); // ["33.34", "33.33", "33.33"]
 * ```
 */
export function allocateMoney(total: Money, weights: readonly (string | number | bigint)[]): Money[] {
  checkMoney(total, "allocateMoney", "total");
  if (!Array.isArray(weights)) throw new EvaluationError(`allocateMoney: weights must be an array such as ["1", "1", "1"], got ${describe(weights)}`);
  if (weights.length === 0) throw new EvaluationError("allocateMoney: weights must list at least one weight; a total cannot be split into no parts");
  const parsed = weights.map((w, i) => {
    const d = typeof w === "bigint" ? { units: w, scale: 0 } : parseDecimal(w);
    if (!d) throw new EvaluationError(`allocateMoney: weights[${i}]: expected a decimal such as "1.5", got ${describe(w)}`);
    return d;
  });
  const scale = Math.max(0, ...parsed.map((d) => d.scale));
  const units = parsed.map((d) => d.units * pow10(scale - d.scale));
  if (units.some((u) => u !== 0n) && units.reduce((a, b) => a + b, 0n) === 0n) {
    throw new EvaluationError(`allocateMoney: weights add up to zero (${weights.map((w) => describe(w)).join(", ")}); shares of a zero sum mean nothing`);
  }
  return allocateUnits(total.minor, units).map((minor) => ({ ...total, minor }));
}
