/**
 * Value semantics shared by expressions, conditions and decision tables:
 * equality, ordering (numbers, strings, ISO-8601 dates) and date parsing.
 * Numbers, decimal strings (`"68000.00"`), BigInts and expression decimals
 * compare with each other exactly, as decimals.
 */
import { EvaluationError } from "../core/errors.js";
import { compareExact, DecimalValue, isNumericString, toDecimal } from "../core/decimal.js";
import { describeOperand } from "./warnings.js";
import { wallToInstant } from "./time-context.js";

/**
 * Minutes east of UTC of an offset such as `+08:00` or `-0530`; `undefined`
 * when out of range (beyond ±18:00, as java.time, or minutes over 59).
 */
export function offsetMinutes(offset: string): number | undefined {
  const digits = offset.slice(1).replace(":", "");
  const h = Number(digits.slice(0, 2));
  const m = Number(digits.slice(2, 4));
  if (m > 59 || h * 60 + m > 18 * 60) return undefined;
  return (offset[0] === "-" ? -1 : 1) * (h * 60 + m);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parse an ISO-8601 date (`2026-01-01`) or date-time (`2026-01-01T09:00:00+08:00`)
 * to epoch milliseconds. Dates and date-times without an offset are wall-clock
 * readings in the zone of the definition being evaluated (UTC outside one; see
 * docs/expressions.md). Offsets beyond ±18:00 are refused.
 * Returns `undefined` for anything else.
 */
export function parseInstant(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== "string" || value.length < 10 || value.length > 40) return undefined;
  const m = ISO_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, off] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0;
  const month = Number(mo);
  const day = Number(d);
  const hour = h ? Number(h) : 0;
  const minute = mi ? Number(mi) : 0;
  const second = s ? Number(s) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), month - 1, day);
  if (date.getUTCDate() !== day) return undefined;
  date.setUTCHours(hour, minute, second, ms);
  let t = date.getTime();
  if (off && off !== "Z") {
    const offset = offsetMinutes(off);
    if (offset === undefined) return undefined;
    t -= offset * 60_000;
  } else if (!off) t = wallToInstant(t); // no offset: a wall clock in the definition's zone (UTC outside one)
  return Number.isFinite(t) ? t : undefined;
}

/** Format epoch milliseconds as an ISO-8601 UTC string. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** True for numbers, BigInts and expression decimals: the values a numeric string meets as a number. */
function isNumberLike(v: unknown): boolean {
  return typeof v === "number" || typeof v === "bigint" || v instanceof DecimalValue;
}

/** Exact order of two number-like values (numbers, decimal strings, BigInts, decimals), or undefined. */
function compareNumeric(a: unknown, b: unknown): number | undefined {
  const x = toDecimal(a);
  if (x === undefined) return undefined;
  const y = toDecimal(b);
  return y === undefined ? undefined : compareExact(x, y);
}

/**
 * True when one side is a number (or an exact decimal) and the other text that
 * is not a plain decimal (`"abc" == 1`): such a pair can never be equal, so an
 * equality test on it answers false with a warning rather than silently.
 * @internal
 */
export function textAgainstNumber(a: unknown, b: unknown): boolean {
  if (typeof a === "string") return (typeof b === "number" || b instanceof DecimalValue) && !isNumericString(a);
  if (typeof b === "string") return (typeof a === "number" || a instanceof DecimalValue) && !isNumericString(b);
  return false;
}

/**
 * Structural equality for JSON values. Numbers compare by value, arrays and
 * plain objects element by element. Two date strings for the same instant in
 * different offsets are equal. A missing value (`undefined`) equals `null`.
 * A number and a decimal string compare exactly as decimals (`"68000.00"`
 * equals `68000`); two strings compare as text.
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // A missing value reads as null everywhere (traces, outputs), so it equals null.
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  const ta = typeof a;
  const tb = typeof b;
  if (ta === tb && ta !== "object") {
    if (ta !== "string") return false;
    const x = parseInstant(a);
    return x !== undefined && x === parseInstant(b);
  }
  // Mixed types (or a decimal): only a number and a decimal string (or two number-likes) can be equal.
  if (ta !== "object" || tb !== "object" || a instanceof DecimalValue || b instanceof DecimalValue) return compareNumeric(a, b) === 0;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * Order two values: a negative number, zero or a positive number, or
 * `undefined` when they are not comparable (different types, null, NaN).
 * Numbers compare numerically; a number and a decimal string (or two decimal
 * strings) compare exactly as decimals; two date strings by instant; other
 * strings by UTF-16 code units (a date string and a plain string are not
 * comparable); booleans false < true.
 */
export function compareValues(a: unknown, b: unknown): number | undefined {
  if (typeof a === "number" && typeof b === "number") {
    if (a !== a || b !== b) return undefined;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") {
    const x = parseInstant(a);
    const y = parseInstant(b);
    if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
    // A date and a plain string have no order: "A" is not after 2026-01-01.
    if (x !== undefined || y !== undefined) return undefined;
    if (isNumericString(a) && isNumericString(b)) return compareNumeric(a, b);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (isNumberLike(a) || isNumberLike(b)) return compareNumeric(a, b);
  return undefined;
}

/**
 * Order two values for an ordering comparison (`<`, `gt`, a `>= 5` cell):
 * `undefined` when either is missing or null (the comparison is false, and
 * the caller records a warning), and an {@link EvaluationError} when the two
 * can never be ordered, such as a non-numeric string against a number.
 * @internal
 */
export function orderForComparison(a: unknown, b: unknown, op: string): number | undefined {
  const c = compareValues(a, b);
  if (c !== undefined) return c;
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  throw new EvaluationError(`cannot compare ${describeOperand(a)} with ${describeOperand(b)} using "${op}"${orderingHint(a, b)}`);
}

function orderingHint(a: unknown, b: unknown): string {
  const s = typeof a === "string" ? a : typeof b === "string" ? b : undefined;
  if (s !== undefined && (isNumberLike(a) || isNumberLike(b))) return "; a number must be a number or a plain decimal string such as \"1234.50\"";
  return "";
}

/** Describe a value's type for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof DecimalValue) return "decimal";
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Names that no expression, fact path or dynamic key may ever touch. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Read an own property of a plain object or array. Never walks the prototype
 * chain, never returns a function and never reads a forbidden name.
 */
export function readOwn(target: unknown, key: string | number): unknown {
  if (target === null || typeof target !== "object") return undefined;
  if (typeof key === "string" && FORBIDDEN_NAMES.has(key)) return undefined;
  if (!Object.hasOwn(target, key)) return undefined;
  const v = (target as Record<string | number, unknown>)[key];
  return typeof v === "function" ? undefined : v;
}

/** Read a dotted fact path such as `order.lines.0.amount` from facts. */
export function readPath(facts: unknown, segments: readonly string[]): unknown {
  let cur = facts;
  for (let i = 0; i < segments.length; i++) {
    if (cur === null || typeof cur !== "object") return undefined;
    const key = segments[i]!;
    if (!Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === "function" ? undefined : cur;
}

/** Split and check a fact path; forbidden segments are rejected. */
export function splitPath(path: string): string[] | string {
  if (path.length === 0) return "a fact path must not be empty";
  const segs = path.split(".");
  for (const s of segs) {
    if (s.length === 0) return `"${path}" has an empty segment`;
    if (FORBIDDEN_NAMES.has(s)) return `"${s}" cannot be read from facts`;
    if (/[[\]\s]/.test(s)) return `"${path}" is not a fact path: write array items as a.b.0, or use an { "expr": ... } condition`;
  }
  return segs;
}
