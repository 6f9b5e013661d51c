/**
 * Argument checks of the public money functions. Money code is called from
 * host code as often as from documents, so a meaningless argument (a
 * fractional scale, an unknown rounding mode, a number where a BigInt
 * belongs) is an {@link EvaluationError} naming the function, the parameter
 * and what was expected, never a quiet answer or a raw TypeError.
 */
import { EvaluationError } from "../core/errors.js";
import { CURRENCY_SCALES } from "./currency.js";
import { ROUNDING_MODES, type RoundingMode } from "./rounding.js";

/** Most decimal places any money scale may have (far above every currency's). @internal */
const MAX_SCALE = 18;

/** A value as error messages show it, one line, short. @internal */
export function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === "bigint") return `${v}n`;
  if (v === null || v === undefined || typeof v === "number" || typeof v === "boolean") return String(v);
  return Array.isArray(v) ? "an array" : typeof v;
}

/** Throw unless `scale` is a whole number of decimal places from 0 to `max`. @internal */
export function checkScale(scale: unknown, fn: string, name: string, max = MAX_SCALE, why = ""): asserts scale is number {
  if (typeof scale !== "number" || !Number.isInteger(scale) || scale < 0 || scale > max) {
    throw new EvaluationError(`${fn}: ${name} must be a whole number of decimal places from 0 to ${max}${why}, got ${describe(scale)}`);
  }
}

/** Throw unless `v` is a BigInt. @internal */
export function checkBigInt(v: unknown, fn: string, name: string, example = "1999n"): asserts v is bigint {
  if (typeof v !== "bigint") throw new EvaluationError(`${fn}: ${name} must be a BigInt such as ${example}, got ${describe(v)}`);
}

/** Throw unless `mode` is a {@link RoundingMode}. @internal */
function checkMode(mode: unknown, fn: string, name: string): asserts mode is RoundingMode {
  if (!(ROUNDING_MODES as readonly unknown[]).includes(mode)) {
    throw new EvaluationError(`${fn}: ${name} must be one of ${ROUNDING_MODES.join(", ")}; got ${describe(mode)}`);
  }
}

/** Why `m` is not a well-formed Money, or undefined. */
function moneyProblem(m: unknown): string | undefined {
  if (typeof m !== "object" || m === null) return `expected a Money such as parseMoney("12.50", "CNY"), got ${describe(m)}`;
  const { minor, scale, currency } = m as { minor?: unknown; scale?: unknown; currency?: unknown };
  if (typeof minor !== "bigint") return `minor must be a BigInt, got ${describe(minor)}`;
  if (typeof scale !== "number" || !Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE) {
    return `scale must be a whole number of decimal places from 0 to ${MAX_SCALE}, got ${describe(scale)}`;
  }
  if (currency === undefined) return undefined;
  if (typeof currency !== "string" || !Object.hasOwn(CURRENCY_SCALES, currency)) return `unknown currency ${describe(currency)}; use an ISO 4217 code such as CNY or USD`;
  if (CURRENCY_SCALES[currency] !== scale) return `${currency} has ${CURRENCY_SCALES[currency]} decimal places, got scale ${scale}`;
  return undefined;
}

/** Throw unless `m` is a well-formed Money (BigInt minor units, a scale its currency has). @internal */
export function checkMoney(m: unknown, fn: string, name: string): void {
  const problem = moneyProblem(m);
  if (problem) throw new EvaluationError(`${fn}: ${name}: ${problem}`);
}

/**
 * Check rounding options `{ mode, scale? }` against the money's scale; returns the scale to keep.
 * @internal
 */
export function checkRounding(rounding: unknown, moneyScale: number, fn: string): number {
  if (typeof rounding !== "object" || rounding === null) {
    throw new EvaluationError(`${fn}: rounding must be an object such as { mode: "half-even", scale: 0 }, got ${describe(rounding)}`);
  }
  const { mode, scale } = rounding as { mode?: unknown; scale?: unknown };
  checkMode(mode, fn, "rounding.mode");
  if (scale === undefined) return moneyScale;
  checkScale(scale, fn, "rounding.scale", moneyScale, " (the money's scale)");
  return scale;
}
