/**
 * The public money value: integer minor units with a scale and an optional
 * currency. Arithmetic is exact (BigInt); only {@link multiplyMoney} and
 * {@link roundMoney} round, and only with the mode they are given.
 */
import { parseDecimal } from "../decisions/decimal.js";
import { EvaluationError } from "../errors.js";
import { allocateUnits } from "./allocate.js";
import { formatMinorUnits, toMinorUnits } from "./amount.js";
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

/** How to round: the mode, and the scale to round to (default: the money's own scale). */
export interface RoundingOptions {
  mode: RoundingMode;
  /** Decimal places to keep; at most the currency's scale. */
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
 * @example
 * ```ts
 * formatMoney(moneyFromMinor(1999n, "USD")); // "19.99"
 * ```
 */
export function moneyFromMinor(minor: bigint, currency?: string): Money {
  const scale = scaleOf(currency);
  return currency === undefined ? { minor, scale } : { minor, scale, currency };
}

/**
 * Format money as the decimal string used in JSON (no currency symbol).
 *
 * @param money - the amount
 * @returns `"1234.50"`, always with the money's scale
 * @example
 * ```ts
 * formatMoney(parseMoney("7", "CNY")); // "7.00"
 * ```
 */
export function formatMoney(money: Money): string {
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
 * @throws {@link EvaluationError} when currencies differ
 * @example
 * ```ts
 * formatMoney(addMoney(parseMoney("0.10"), parseMoney("0.20"))); // "0.30"
 * ```
 */
export function addMoney(first: Money, ...rest: Money[]): Money {
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
 * @example
 * ```ts
 * formatMoney(subtractMoney(parseMoney("1.00"), parseMoney("0.01"))); // "0.99"
 * ```
 */
export function subtractMoney(a: Money, b: Money): Money {
  same(a, b, "subtract");
  return { ...a, minor: a.minor - b.minor };
}

/**
 * Compare two amounts of one currency.
 *
 * @param a - first amount
 * @param b - second amount, same currency
 * @returns -1, 0 or 1
 * @example
 * ```ts
 * compareMoney(parseMoney("1.00"), parseMoney("0.99")); // 1
 * ```
 */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  same(a, b, "compare");
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

/**
 * Multiply money by an exact decimal factor (a rate, a percentage as a
 * fraction, a multiplier) and round once.
 *
 * @param money - the amount
 * @param factor - a decimal string such as `"0.035"` or `"1.1"` (never a binary float)
 * @param rounding - mode and optional scale to round to (default: the money's scale)
 * @returns the rounded product, in minor units of the money's scale
 * @throws {@link EvaluationError} when `factor` is not a decimal
 * @example
 * ```ts
 * formatMoney(multiplyMoney(parseMoney("1234.56", "CNY"), "0.035", { mode: "half-even" })); // "43.21"
 * ```
 */
export function multiplyMoney(money: Money, factor: string, rounding: RoundingOptions): Money {
  const f = parseDecimal(factor);
  if (!f) throw new EvaluationError(`expected a decimal factor such as "0.035", got ${JSON.stringify(factor)}`);
  const exact = money.minor * f.units;
  const keep = Math.min(rounding.scale ?? money.scale, money.scale);
  const quantum = pow10(money.scale - keep);
  const minor = divideRounded(exact, pow10(f.scale) * quantum, rounding.mode) * quantum;
  return { ...money, minor };
}

/**
 * Round money to fewer decimal places (whole yuan, whole dollars).
 *
 * @param money - the amount
 * @param rounding - the mode and the scale to keep
 * @returns the rounded amount, still in the money's minor units
 * @example
 * ```ts
 * formatMoney(roundMoney(parseMoney("12.50", "CNY"), { mode: "half-even", scale: 0 })); // "12.00"
 * ```
 */
export function roundMoney(money: Money, rounding: RoundingOptions): Money {
  const keep = Math.min(rounding.scale ?? money.scale, money.scale);
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
 * @param weights - one weight per part: decimal strings, integers or BigInts (not all of mixed sign)
 * @returns one {@link Money} per weight, summing to `total`
 * @throws {@link EvaluationError} when a weight is not a decimal
 * @example
 * ```ts
 * allocateMoney(parseMoney("100.00"), ["1", "1", "1"]).map(formatMoney); // ["33.34", "33.33", "33.33"]
 * ```
 */
export function allocateMoney(total: Money, weights: readonly (string | number | bigint)[]): Money[] {
  const parsed = weights.map((w) => {
    const d = typeof w === "bigint" ? { units: w, scale: 0 } : parseDecimal(w);
    if (!d) throw new EvaluationError(`expected a decimal weight, got ${JSON.stringify(w)}`);
    return d;
  });
  const scale = Math.max(0, ...parsed.map((d) => d.scale));
  const units = parsed.map((d) => d.units * pow10(scale - d.scale));
  return allocateUnits(total.minor, units).map((minor) => ({ ...total, minor }));
}
