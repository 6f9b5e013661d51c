/**
 * The comparison operators of fact leaves: how each tests an actual value
 * against an expected one, and what an expected value must look like.
 */
import { addDuration, parseDuration } from "../calendar/duration.js";
import type { ConditionOperator } from "../schema/condition.js";
import { compareValues, parseInstant, valuesEqual } from "../expr/values.js";

/** Tests `actual` against `expected` at time `nowMs`. */
export type OperatorTest = (actual: unknown, expected: unknown, nowMs: number) => boolean;

function includes(list: unknown, item: unknown): boolean {
  if (!Array.isArray(list)) return false;
  for (let i = 0; i < list.length; i++) if (valuesEqual(list[i], item)) return true;
  return false;
}

function contains(actual: unknown, expected: unknown): boolean {
  if (typeof actual === "string") return typeof expected === "string" && actual.includes(expected);
  return includes(actual, expected);
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

const withinLast: OperatorTest = (actual, expected, nowMs) => {
  const t = parseInstant(actual);
  const d = typeof expected === "string" ? parseDuration(expected) : undefined;
  if (t === undefined || d === undefined) return false;
  return t <= nowMs && t >= addDuration(nowMs, d, -1);
};

/** Every operator's test. */
export const OPERATOR_TESTS: Readonly<Record<ConditionOperator, OperatorTest>> = {
  eq: (a, e) => valuesEqual(a, e),
  ne: (a, e) => !valuesEqual(a, e),
  gt: (a, e) => (compareValues(a, e) ?? NaN) > 0,
  gte: (a, e) => (compareValues(a, e) ?? NaN) >= 0,
  lt: (a, e) => (compareValues(a, e) ?? NaN) < 0,
  lte: (a, e) => (compareValues(a, e) ?? NaN) <= 0,
  in: (a, e) => includes(e, a),
  notIn: (a, e) => !includes(e, a),
  contains: (a, e) => contains(a, e),
  notContains: (a, e) => !contains(a, e),
  between: (a, e) =>
    Array.isArray(e) && (compareValues(a, e[0]) ?? NaN) >= 0 && (compareValues(a, e[1]) ?? NaN) <= 0,
  exists: (a, e) => (e === false ? !present(a) : present(a)),
  startsWith: (a, e) => typeof a === "string" && typeof e === "string" && a.startsWith(e),
  endsWith: (a, e) => typeof a === "string" && typeof e === "string" && a.endsWith(e),
  before: (a, e) => {
    const x = parseInstant(a);
    const y = parseInstant(e);
    return x !== undefined && y !== undefined && x < y;
  },
  after: (a, e) => {
    const x = parseInstant(a);
    const y = parseInstant(e);
    return x !== undefined && y !== undefined && x > y;
  },
  withinLast,
};

/**
 * Check a literal expected value for an operator; returns a message saying
 * what was expected, or `undefined` when it is fine.
 */
export function checkExpected(op: ConditionOperator, value: unknown): string | undefined {
  switch (op) {
    case "in":
    case "notIn":
      return Array.isArray(value) ? undefined : `"${op}" expects an array of values, such as ["A", "B"]`;
    case "between":
      return Array.isArray(value) && value.length === 2 && compareValues(value[0], value[1]) !== undefined
        ? (compareValues(value[0], value[1]) ?? 0) <= 0
          ? undefined
          : `"between" expects [low, high] with low <= high`
        : `"between" expects [low, high] of two numbers or two dates`;
    case "exists":
      return value === undefined || typeof value === "boolean" ? undefined : `"exists" expects true, false or no value`;
    case "startsWith":
    case "endsWith":
      return typeof value === "string" ? undefined : `"${op}" expects a string`;
    case "before":
    case "after":
      return parseInstant(value) !== undefined ? undefined : `"${op}" expects an ISO-8601 date such as "2026-03-01" or "2026-03-01T00:00:00+08:00"`;
    case "withinLast":
      return typeof value === "string" && parseDuration(value) !== undefined
        ? undefined
        : `"withinLast" expects an ISO-8601 duration such as "P90D" or "PT3H"`;
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return typeof value === "number" || typeof value === "string"
        ? undefined
        : `"${op}" expects a number, a string or a date`;
    default:
      return value === undefined ? `"${op}" needs a value` : undefined;
  }
}
