/**
 * The functions an expression may call. Only names in this table are
 * callable; nothing else in JavaScript is reachable from an expression.
 */
import { EvaluationError } from "../errors.js";
import { compareValues, describeType, formatInstant, parseInstant, valuesEqual } from "./values.js";

/** A lambda argument (`o => o.amount`) as the function receives it. */
export type Lambda = (item: unknown) => unknown;

/** Describes one callable function. */
export interface FunctionSpec {
  /** Fewest arguments accepted. */
  readonly minArgs: number;
  /** Most arguments accepted (`Infinity` for variadic). */
  readonly maxArgs: number;
  /** Argument positions where a lambda (`x => ...`) is accepted. */
  readonly lambdaArgs?: readonly number[];
  /** One-line description for docs and error hints. */
  readonly doc: string;
  /** The implementation. Lambda arguments arrive as {@link Lambda}. */
  readonly call: (args: unknown[]) => unknown;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function fail(fn: string, message: string): never {
  throw new EvaluationError(`${fn}(): ${message}`);
}

function num(fn: string, v: unknown, what = "argument"): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "number") fail(fn, `${what} must be a number, got ${describeType(v)} ${JSON.stringify(v)}`);
  return v;
}

function arr(fn: string, v: unknown): unknown[] | null {
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v)) fail(fn, `first argument must be an array, got ${describeType(v)}`);
  return v;
}

function str(fn: string, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "string") fail(fn, `argument must be a string, got ${describeType(v)}`);
  return v;
}

function instant(fn: string, v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const t = parseInstant(v);
  if (t === undefined) fail(fn, `expected an ISO-8601 date such as "2026-01-31" or "2026-01-31T09:00:00+08:00", got ${JSON.stringify(v)}`);
  return t;
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

const unary = (name: string, doc: string, f: (x: number) => number): FunctionSpec => ({
  minArgs: 1,
  maxArgs: 1,
  doc,
  call: ([x]) => {
    const n = num(name, x);
    return n === null ? null : f(n);
  },
});

/** The built-in function table. Frozen, with no prototype. */
export const BUILTIN_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, FunctionSpec>, {
    abs: unary("abs", "absolute value", Math.abs),
    floor: unary("floor", "largest integer not above x", Math.floor),
    ceil: unary("ceil", "smallest integer not below x", Math.ceil),
    trunc: unary("trunc", "integer part of x", Math.trunc),
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
      call: ([x]) => (x === null || x === undefined ? null : typeof x === "object" ? JSON.stringify(x) : String(x)),
    },
    number: {
      minArgs: 1,
      maxArgs: 1,
      doc: "number(x): a number from a numeric string or number, null when not numeric",
      call: ([x]) => {
        if (typeof x === "number") return x;
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
    date: {
      minArgs: 1,
      maxArgs: 1,
      doc: "date(s): the ISO-8601 date or date-time s, normalised to UTC",
      call: ([x]) => {
        const t = instant("date", x);
        return t === null ? null : formatInstant(t);
      },
    },
    daysBetween: {
      minArgs: 2,
      maxArgs: 2,
      doc: "daysBetween(from, to): whole days elapsed from `from` to `to` (negative when to is earlier)",
      call: ([a, b]) => {
        const x = instant("daysBetween", a);
        const y = instant("daysBetween", b);
        return x === null || y === null ? null : Math.trunc((y - x) / DAY_MS);
      },
    },
    hoursBetween: {
      minArgs: 2,
      maxArgs: 2,
      doc: "hoursBetween(from, to): whole hours elapsed from `from` to `to`",
      call: ([a, b]) => {
        const x = instant("hoursBetween", a);
        const y = instant("hoursBetween", b);
        return x === null || y === null ? null : Math.trunc((y - x) / HOUR_MS);
      },
    },
    addDays: {
      minArgs: 2,
      maxArgs: 2,
      doc: "addDays(date, n): the instant n days (of 24 hours) later, as UTC ISO-8601",
      call: ([d, n]) => {
        const t = instant("addDays", d);
        const k = num("addDays", n, "days");
        return t === null || k === null ? null : formatInstant(t + k * DAY_MS);
      },
    },
    addHours: {
      minArgs: 2,
      maxArgs: 2,
      doc: "addHours(date, n): the instant n hours later, as UTC ISO-8601",
      call: ([d, n]) => {
        const t = instant("addHours", d);
        const k = num("addHours", n, "hours");
        return t === null || k === null ? null : formatInstant(t + k * HOUR_MS);
      },
    },
  } satisfies Record<string, FunctionSpec>),
);
