/**
 * The comparison operators of fact leaves: how each tests an actual value
 * against an expected one, and what an expected value must look like.
 */
import type { ConditionKey } from "../i18n/messages/conditions.js";
import { addDuration, parseDuration } from "../core/duration.js";
import type { ConditionOperator } from "../schema/condition.js";
import { EvaluationError } from "../core/errors.js";
import { compareValues, orderForComparison, parseInstant, valuesEqual } from "../expr/values.js";
import { describeOperand } from "../expr/warnings.js";

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

/**
 * Operators that order their operands. They never hold when a side is missing
 * or null (the condition records a warning), and a pair that can never be
 * ordered (a non-numeric string against a number) is an error.
 */
export const ORDERING_OPERATORS: ReadonlySet<ConditionOperator> = new Set<ConditionOperator>(["gt", "gte", "lt", "lte", "between", "before", "after", "withinLast"]);

/** The instant of a date operand; an error for a present value that is not a date. */
function instantOf(v: unknown, op: string): number {
  const t = parseInstant(v);
  if (t === undefined) throw new EvaluationError(`"${op}" compares dates, got ${describeOperand(v)}; write an ISO-8601 date such as "2026-03-01" or "2026-03-01T09:00:00+08:00"`);
  return t;
}

const withinLast: OperatorTest = (actual, expected, nowMs) => {
  const t = instantOf(actual, "withinLast");
  const d = typeof expected === "string" ? parseDuration(expected) : undefined;
  if (t === undefined || d === undefined) return false;
  return t <= nowMs && t >= addDuration(nowMs, d, -1);
};

/** Every operator's test. */
export const OPERATOR_TESTS: Readonly<Record<ConditionOperator, OperatorTest>> = {
  eq: (a, e) => valuesEqual(a, e),
  ne: (a, e) => !valuesEqual(a, e),
  gt: (a, e) => (orderForComparison(a, e, "gt") ?? NaN) > 0,
  gte: (a, e) => (orderForComparison(a, e, "gte") ?? NaN) >= 0,
  lt: (a, e) => (orderForComparison(a, e, "lt") ?? NaN) < 0,
  lte: (a, e) => (orderForComparison(a, e, "lte") ?? NaN) <= 0,
  in: (a, e) => includes(e, a),
  notIn: (a, e) => !includes(e, a),
  contains: (a, e) => contains(a, e),
  notContains: (a, e) => !contains(a, e),
  between: (a, e) =>
    Array.isArray(e) && (orderForComparison(a, e[0], "between") ?? NaN) >= 0 && (orderForComparison(a, e[1], "between") ?? NaN) <= 0,
  exists: (a, e) => (e === false ? !present(a) : present(a)),
  startsWith: (a, e) => typeof a === "string" && typeof e === "string" && a.startsWith(e),
  endsWith: (a, e) => typeof a === "string" && typeof e === "string" && a.endsWith(e),
  before: (a, e) => instantOf(a, "before") < instantOf(e, "before"),
  after: (a, e) => instantOf(a, "after") > instantOf(e, "after"),
  withinLast,
};

/**
 * Check a literal expected value for an operator; returns the catalogue key
 * and parameters of what was expected, or `undefined` when it is fine.
 */
export function checkExpected(op: ConditionOperator, value: unknown): { key: ConditionKey; params: { op: string } } | undefined {
  const why = (key: ConditionKey) => ({ key, params: { op } });
  switch (op) {
    case "in":
    case "notIn":
      return Array.isArray(value) ? undefined : why("expectsArray");
    case "between":
      return Array.isArray(value) && value.length === 2 && compareValues(value[0], value[1]) !== undefined
        ? (compareValues(value[0], value[1]) ?? 0) <= 0
          ? undefined
          : why("betweenOrder")
        : why("betweenPair");
    case "exists":
      return value === undefined || typeof value === "boolean" ? undefined : why("existsValue");
    case "startsWith":
    case "endsWith":
      return typeof value === "string" ? undefined : why("expectsString");
    case "before":
    case "after":
      return parseInstant(value) !== undefined ? undefined : why("expectsDate");
    case "withinLast":
      return typeof value === "string" && parseDuration(value) !== undefined ? undefined : why("expectsDuration");
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return typeof value === "number" || typeof value === "string" ? undefined : why("expectsOrderable");
    default:
      return value === undefined ? why("needsValue") : undefined;
  }
}
