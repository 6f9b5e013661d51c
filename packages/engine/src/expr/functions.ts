/**
 * The functions an expression may call. Only names in this table are
 * callable; nothing else in JavaScript is reachable from an expression.
 */
import { EvaluationError } from "../core/errors.js";
import type { FunctionSpec, Lambda } from "./function-spec.js";
import { CALENDAR_FUNCTIONS } from "./calendar-functions.js";
import { TIME_FUNCTIONS } from "./time-functions.js";
import { compareValues, describeType, valuesEqual } from "./values.js";
import { DECIMAL_FUNCTIONS } from "./decimal-functions.js";
import { DecimalValue, decimalArithmetic, decimalToNumber, isExactOperand, roundDecimal, toDecimal } from "../core/decimal.js";

export type { FunctionSpec, Lambda } from "./function-spec.js";

function fail(fn: string, message: string): never {
  throw new EvaluationError(`${fn}(): ${message}`);
}

function num(fn: string, v: unknown, what = "argument"): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return v;
  // Where only a float will do (sqrt, pow, a day count), a decimal string or decimal is read as its nearest number.
  const d = isExactOperand(v) ? toDecimal(v) : undefined;
  if (d === undefined) fail(fn, `${what} must be a number, got ${describeType(v)} ${JSON.stringify(v)}`);
  return decimalToNumber(d);
}

/** The exact total of values of which at least one is a decimal string or decimal; missing values skipped. */
function exactTotal(fn: string, xs: readonly unknown[]): { total: DecimalValue; n: number } {
  let total = new DecimalValue(0n, 0);
  let n = 0;
  for (const v of xs) {
    if (v === null || v === undefined) continue;
    const d = typeof v === "number" || isExactOperand(v) ? toDecimal(v) : undefined;
    if (d === undefined) fail(fn, `each value must be a number, got ${describeType(v)} ${JSON.stringify(v)}`);
    total = decimalArithmetic("+", total, d) as DecimalValue;
    n++;
  }
  return { total, n };
}

function arr(fn: string, v: unknown): unknown[] | null {
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v)) fail(fn, `first argument must be an array, got ${describeType(v)}`);
  return v as unknown[];
}

function str(fn: string, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "string") fail(fn, `argument must be a string, got ${describeType(v)}`);
  return v;
}

function mapped(fn: string, args: unknown[]): unknown[] | null {
  const xs = arr(fn, args[0]);
  if (xs === null) return null;
  if (args[1] === undefined) return xs;
  const f = lambda(fn, args[1]);
  return xs.map((x) => f(x));
}

function lambda(fn: string, v: unknown): Lambda {
  if (typeof v !== "function") fail(fn, "second argument must be a lambda such as x => x.amount > 0");
  return v as Lambda;
}

function extreme(fn: string, args: unknown[], sign: 1 | -1): unknown {
  // With a lambda it is the array form even when the array is missing: never a value list holding the lambda.
  const values = Array.isArray(args[0]) || typeof args[1] === "function" ? mapped(fn, args) : args;
  if (values === null) return null;
  let best: unknown = null;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (best === null) {
      best = v;
      continue;
    }
    const c = compareValues(v, best);
    if (c === undefined) fail(fn, `cannot compare ${describeType(v)} with ${describeType(best)}`);
    if (c * sign > 0) best = v;
  }
  return best;
}

function roundHalfAway(x: number, digits: number): number {
  const f = 10 ** digits;
  // Correct binary representation error (1.005 * 100 = 100.49999...) before rounding.
  const scaled = Number((Math.abs(x) * f).toPrecision(15));
  return (Math.sign(x) * Math.round(scaled)) / f;
}

const unary = (name: string, doc: string, f: (x: number) => number, exact?: (d: DecimalValue) => DecimalValue): FunctionSpec => ({
  minArgs: 1,
  maxArgs: 1,
  doc,
  call: ([x]) => {
    if (exact !== undefined && isExactOperand(x)) return exact(toDecimal(x) ?? fail(name, `argument must be a number, got ${JSON.stringify(x)}`));
    const n = num(name, x);
    return n === null ? null : f(n);
  },
});

/** The built-in function table. Frozen, with no prototype. */
export const BUILTIN_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, FunctionSpec>, {
    abs: unary("abs", "absolute value", Math.abs, (d) => (d.units < 0n ? new DecimalValue(-d.units, d.scale) : d)),
    floor: unary("floor", "largest integer not above x", Math.floor, (d) => roundDecimal(d, 0, "floor")),
    ceil: unary("ceil", "smallest integer not below x", Math.ceil, (d) => roundDecimal(d, 0, "ceil")),
    trunc: unary("trunc", "integer part of x", Math.trunc, (d) => roundDecimal(d, 0, "trunc")),
    sqrt: unary("sqrt", "square root", Math.sqrt),
    round: {
      minArgs: 1,
      maxArgs: 2,
      doc: "round(x, digits = 0): round half away from zero",
      call: ([x, d]) => {
        const n = num("round", x);
        const digits = d === undefined ? 0 : num("round", d, "digits");
        if (n === null || digits === null) return null;
        if (!Number.isInteger(digits) || digits < 0 || digits > 12) fail("round", "digits must be an integer from 0 to 12");
        if (isExactOperand(x)) return roundDecimal(toDecimal(x)!, digits, "half-away");
        return roundHalfAway(n, digits);
      },
    },
    pow: {
      minArgs: 2,
      maxArgs: 2,
      doc: "pow(x, y): x to the power y",
      call: ([x, y]) => {
        const a = num("pow", x);
        const b = num("pow", y);
        return a === null || b === null ? null : a ** b;
      },
    },
    min: {
      minArgs: 1,
      maxArgs: Infinity,
      lambdaArgs: [1],
      doc: "min(a, b, ...) or min(array, x => value): smallest value",
      call: (args) => extreme("min", args, -1),
    },
    max: {
      minArgs: 1,
      maxArgs: Infinity,
      lambdaArgs: [1],
      doc: "max(a, b, ...) or max(array, x => value): largest value",
      call: (args) => extreme("max", args, 1),
    },
    sum: {
      minArgs: 1,
      maxArgs: 2,
      lambdaArgs: [1],
      doc: "sum(array) or sum(array, x => value): total, missing values skipped",
      call: (args) => {
        const xs = mapped("sum", args);
        if (xs === null) return null;
        if (xs.some(isExactOperand)) return exactTotal("sum", xs).total;
        let total = 0;
        for (const v of xs) {
          const n = num("sum", v, "each value");
          if (n !== null) total += n;
        }
        return total;
      },
    },
    avg: {
      minArgs: 1,
      maxArgs: 2,
      lambdaArgs: [1],
      doc: "avg(array) or avg(array, x => value): mean of the present values, null when none",
      call: (args) => {
        const xs = mapped("avg", args);
        if (xs === null) return null;
        if (xs.some(isExactOperand)) {
          const { total: t, n: k } = exactTotal("avg", xs);
          return k === 0 ? null : decimalArithmetic("/", t, new DecimalValue(BigInt(k), 0));
        }
        let total = 0;
        let n = 0;
        for (const v of xs) {
          const x = num("avg", v, "each value");
          if (x !== null) {
            total += x;
            n++;
          }
        }
        return n === 0 ? null : total / n;
      },
    },
    count: {
      minArgs: 1,
      maxArgs: 2,
      lambdaArgs: [1],
      doc: "count(array) or count(array, x => condition): number of items (matching the condition)",
      call: ([a, f]) => {
        const xs = arr("count", a);
        if (xs === null) return 0;
        if (f === undefined) return xs.length;
        const p = lambda("count", f);
        let n = 0;
        for (const x of xs) if (p(x) === true) n++;
        return n;
      },
    },
    any: {
      minArgs: 2,
      maxArgs: 2,
      lambdaArgs: [1],
      doc: "any(array, x => condition): true when some item matches",
      call: ([a, f]) => {
        const xs = arr("any", a);
        const p = lambda("any", f);
        return xs === null ? false : xs.some((x) => p(x) === true);
      },
    },
    all: {
      minArgs: 2,
      maxArgs: 2,
      lambdaArgs: [1],
      doc: "all(array, x => condition): true when every item matches (true for an empty array)",
      call: ([a, f]) => {
        const xs = arr("all", a);
        const p = lambda("all", f);
        return xs === null ? true : xs.every((x) => p(x) === true);
      },
    },
    filter: {
      minArgs: 2,
      maxArgs: 2,
      lambdaArgs: [1],
      doc: "filter(array, x => condition): the matching items",
      call: ([a, f]) => {
        const xs = arr("filter", a);
        const p = lambda("filter", f);
        return xs === null ? [] : xs.filter((x) => p(x) === true);
      },
    },
    map: {
      minArgs: 2,
      maxArgs: 2,
      lambdaArgs: [1],
      doc: "map(array, x => value): the value for each item",
      call: ([a, f]) => {
        const xs = arr("map", a);
        const g = lambda("map", f);
        return xs === null ? [] : xs.map((x) => g(x));
      },
    },
    len: {
      minArgs: 1,
      maxArgs: 1,
      doc: "len(x): length of a string or array",
      call: ([x]) => {
        if (x === null || x === undefined) return 0;
        if (typeof x === "string" || Array.isArray(x)) return x.length;
        return fail("len", `expected a string or array, got ${describeType(x)}`);
      },
    },
    lower: { minArgs: 1, maxArgs: 1, doc: "lower(s): lower case", call: ([s]) => str("lower", s)?.toLowerCase() ?? null },
    upper: { minArgs: 1, maxArgs: 1, doc: "upper(s): upper case", call: ([s]) => str("upper", s)?.toUpperCase() ?? null },
    trim: { minArgs: 1, maxArgs: 1, doc: "trim(s): without surrounding spaces", call: ([s]) => str("trim", s)?.trim() ?? null },
    contains: {
      minArgs: 2,
      maxArgs: 2,
      doc: "contains(haystack, needle): substring of a string, or element of an array",
      call: ([h, n]) => {
        if (h === null || h === undefined) return false;
        if (typeof h === "string") return typeof n === "string" && h.includes(n);
        if (Array.isArray(h)) return h.some((x) => valuesEqual(x, n));
        return fail("contains", `expected a string or array, got ${describeType(h)}`);
      },
    },
    startsWith: {
      minArgs: 2,
      maxArgs: 2,
      doc: "startsWith(s, prefix)",
      call: ([s, p]) => {
        const a = str("startsWith", s);
        const b = str("startsWith", p);
        return a !== null && b !== null && a.startsWith(b);
      },
    },
    endsWith: {
      minArgs: 2,
      maxArgs: 2,
      doc: "endsWith(s, suffix)",
      call: ([s, p]) => {
        const a = str("endsWith", s);
        const b = str("endsWith", p);
        return a !== null && b !== null && a.endsWith(b);
      },
    },
    substring: {
      minArgs: 2,
      maxArgs: 3,
      doc: "substring(s, start, end?): part of a string by 0-based positions",
      call: ([s, a, b]) => {
        const t = str("substring", s);
        const from = num("substring", a, "start");
        const to = b === undefined ? undefined : num("substring", b, "end");
        if (t === null || from === null || to === null) return null;
        return t.substring(from, to);
      },
    },
    string: {
      minArgs: 1,
      maxArgs: 1,
      doc: "string(x): x as text",
      call: ([x]) => (x === null || x === undefined ? null : x instanceof DecimalValue ? x.toString() : typeof x === "object" ? JSON.stringify(x) : String(x as string | number | boolean)),
    },
    number: {
      minArgs: 1,
      maxArgs: 1,
      doc: "number(x): a number from a numeric string, a number or a boolean (true is 1, false is 0), null when not numeric",
      call: ([x]) => {
        if (typeof x === "number") return x;
        if (typeof x === "boolean") return x ? 1 : 0;
        if (x instanceof DecimalValue) return decimalToNumber(x);
        if (typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x))) return Number(x);
        return null;
      },
    },
    coalesce: {
      minArgs: 1,
      maxArgs: Infinity,
      doc: "coalesce(a, b, ...): the first value that is present",
      call: (args) => args.find((a) => a !== null && a !== undefined) ?? null,
    },
    isNull: {
      minArgs: 1,
      maxArgs: 1,
      doc: "isNull(x): true when x is missing or null",
      call: ([x]) => x === null || x === undefined,
    },
    ...DECIMAL_FUNCTIONS,
    ...TIME_FUNCTIONS,
    ...CALENDAR_FUNCTIONS,
  } satisfies Record<string, FunctionSpec>),
);
