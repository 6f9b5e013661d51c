/**
 * How a case's `expect` matches a result: a subset match on plain JSON.
 *
 * - an object matches when every key it has is an own key of the actual
 *   object and each value matches (keys it leaves out are not compared);
 * - an array matches an array of the same length, element by element, in
 *   order (each element matched as a subset again);
 * - two numbers or decimal strings (`"0.125"`, `-3`, `"+0.015"`) match when
 *   they are the same number exactly: `"0.10"` matches `"0.1"` and `0.1`,
 *   `0.1 + 0.2` does not match `0.3` (a JSON number is read through its
 *   shortest decimal text, never as a binary fraction);
 * - anything else matches only the same value (`null` matches `null` only, a
 *   missing key matches nothing).
 */
import { compareDecimals, parseDecimal } from "../../core/decimal.js";

/** One place where the result differs from what a case expected. */
export interface Mismatch {
  /** Where, as a path in the expectation (`output.rate`, `failed[0].path`, `steps[4]`). */
  path: (string | number)[];
  /** What the case expected there. */
  expected: unknown;
  /** What the result had there; `undefined` when it had nothing. */
  actual: unknown;
  /** Why, when the values alone do not say (a refused step of a workflow case). */
  message?: string | undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const DECIMAL_LIKE = /^[+-]?\d+(?:\.\d+)?$/;

/** The exact decimal of a number or a decimal string; undefined for anything else. */
function decimalOf(v: unknown): ReturnType<typeof parseDecimal> {
  if (typeof v === "number") return parseDecimal(v);
  if (typeof v === "string" && DECIMAL_LIKE.test(v) && v.length <= 400) return parseDecimal(v);
  return undefined;
}

/** Whether two leaves match: the same value, or the same number exactly. */
function leavesMatch(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  const a = decimalOf(expected);
  const b = a === undefined ? undefined : decimalOf(actual);
  return a !== undefined && b !== undefined && compareDecimals(a, b) === 0;
}

/**
 * Every place where `actual` does not match `expected` (see the module
 * comment), with paths under `path`.
 */
export function matchExpected(expected: unknown, actual: unknown, path: (string | number)[] = [], out: Mismatch[] = []): Mismatch[] {
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) {
      out.push({ path, expected, actual });
      return out;
    }
    for (const key of Object.keys(expected)) {
      if (!Object.hasOwn(actual, key) || actual[key] === undefined) out.push({ path: [...path, key], expected: expected[key], actual: undefined });
      else matchExpected(expected[key], actual[key], [...path, key], out);
    }
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push({ path, expected, actual });
      return out;
    }
    expected.forEach((e, i) => matchExpected(e, actual[i], [...path, i], out));
    return out;
  }
  if (!leavesMatch(expected, actual)) out.push({ path, expected, actual });
  return out;
}
