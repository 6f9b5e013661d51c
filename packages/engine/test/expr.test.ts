import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  EvaluationError,
  ExpressionError,
  compileExpression,
  compileRuleSet,
  isRuleflowError,
} from "../src/index.js";
import { BUILTIN_FUNCTIONS } from "../src/entries/rules.js";
import { evaluate, isoWithOffset, ruleflowError, thrown } from "./helpers.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Instants between 2000 and 2100, whole seconds (ISO strings are written to the second). */
const instant = fc.integer({ min: 946_684_800, max: 4_102_444_800 }).map((s) => s * 1000);
/** Offsets that occur in practice, in minutes. */
const offset = fc.constantFrom(-600, -300, -210, 0, 60, 330, 480, 540, 765, 840);
/** Plain lowercase words that never look like dates. */
const word = fc.stringMatching(/^[a-z]{0,8}$/);

function expressionError(source: string, options?: Parameters<typeof compileExpression>[1]): ExpressionError {
  const e = ruleflowError<ExpressionError>("EXPRESSION_ERROR", () => compileExpression(source, options));
  expect(e).toBeInstanceOf(ExpressionError);
  expect(e.source).toBe(source);
  return e;
}

describe("arithmetic", () => {
  it("follows the usual precedence and associativity", () => {
    expect(evaluate("2 + 3 * 4")).toBe(2 + 3 * 4);
    expect(evaluate("(2 + 3) * 4")).toBe((2 + 3) * 4);
    expect(evaluate("10 - 4 - 3")).toBe(10 - 4 - 3);
    expect(evaluate("2 ^ 3 ^ 2")).toBe(2 ** (3 ** 2));
    expect(evaluate("7 % 3 + 10 / 4")).toBe((7 % 3) + 10 / 4);
    expect(evaluate("-x + +y", { x: 5, y: 2 })).toBe(-5 + 2);
  });

  test.prop([fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: 1, max: 500 })], {
    seed: 42,
    numRuns: 200,
  })("agrees with JavaScript on integer formulas over facts", (a, b, c) => {
    const facts = { o: { a, b, c } };
    expect(evaluate("o.a + o.b * o.c", facts)).toBe(a + b * c);
    expect(evaluate("(o.a - o.b) / o.c", facts)).toBe((a - b) / c);
    expect(evaluate("o.a % o.c", facts)).toBe(a % c);
    expect(evaluate("-o.a * (o.b + 1)", facts)).toBe(-a * (b + 1));
  });

  test.prop([fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 })], { seed: 7, numRuns: 100 })(
    "agrees with JavaScript on literal formulas, negative literals included",
    (a, b) => {
      expect(evaluate(`${a} - ${b} * 2`)).toBe(a - b * 2);
      expect(evaluate(`${a} * -1 + ${b}`)).toBe(a * -1 + b);
    },
  );

  it("concatenates two strings with +, and refuses to mix strings and numbers", () => {
    expect(evaluate('"sales" + "-" + region', { region: "east" })).toBe("sales-east");
    const e = ruleflowError<EvaluationError>("EVALUATION_ERROR", () => evaluate('1 + "a"'));
    expect(e.message).toContain('"+" needs two numbers');
    expect(e.message).toContain('1 + "a"');
  });

  it("reports division and remainder by zero as evaluation errors", () => {
    expect(ruleflowError("EVALUATION_ERROR", () => evaluate("x / 0", { x: 1 })).message).toContain("division by zero");
    expect(ruleflowError("EVALUATION_ERROR", () => evaluate("x % 0", { x: 1 })).message).toContain("remainder by zero");
  });

  it("reports arithmetic on non-numbers as evaluation errors", () => {
    for (const src of ['"a" - 1', "true * 2", "-s", "+s", "[1] * 2"]) {
      expect(thrown(() => evaluate(src, { s: "text" }))).toBeInstanceOf(EvaluationError);
    }
  });
});

describe("comparison and logic", () => {
  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true })], {
    seed: 1,
    numRuns: 150,
  })("compares numbers like JavaScript", (x, y) => {
    const facts = { x, y };
    expect(evaluate("x < y", facts)).toBe(x < y);
    expect(evaluate("x <= y", facts)).toBe(x <= y);
    expect(evaluate("x > y", facts)).toBe(x > y);
    expect(evaluate("x >= y", facts)).toBe(x >= y);
    expect(evaluate("x == y", facts)).toBe(x === y);
    expect(evaluate("x != y", facts)).toBe(x !== y);
  });

  test.prop([word, word], { seed: 2, numRuns: 150 })("compares plain strings by code units", (s, t) => {
    expect(evaluate("s < t", { s, t })).toBe(s < t);
    expect(evaluate("s >= t", { s, t })).toBe(s >= t);
    expect(evaluate("s == t", { s, t })).toBe(s === t);
  });

  it("orders a number and a numeric string exactly, and refuses to order other mixed types", () => {
    const facts = { n: 1, s: "1.00", b: true, d: "2026-01-01", t: "one" };
    expect([evaluate("n < s", facts), evaluate("n > s", facts), evaluate("n <= s", facts), evaluate("n >= s", facts)]).toEqual([false, false, true, true]);
    for (const src of ["missing < 1", "missing >= 1", "n > null"]) expect(evaluate(src, facts), src).toBe(false);
    for (const src of ["b < n", "s > d", "s < d", "n < t", "t >= n"]) expect(() => evaluate(src, facts), src).toThrow(/cannot compare/);
  });

  it("compares arrays and objects structurally with == and !=", () => {
    expect(evaluate("[1, 2] == [1, 2]")).toBe(true);
    expect(evaluate("[1, 2] == [2, 1]")).toBe(false);
    expect(evaluate("a == b", { a: { x: 1, y: [1] }, b: { y: [1], x: 1 } })).toBe(true);
    expect(evaluate("a != b", { a: { x: 1 }, b: { x: 1, y: 2 } })).toBe(true);
  });

  test.prop([fc.boolean(), fc.boolean()], { seed: 3 })("and, or, not follow the truth tables", (p, q) => {
    const facts = { p, q };
    expect(evaluate("p and q", facts)).toBe(p && q);
    expect(evaluate("p or q", facts)).toBe(p || q);
    expect(evaluate("not p", facts)).toBe(!p);
    expect(evaluate("(not (p and q)) == (not p or not q)", facts)).toBe(true);
    expect(evaluate("p and not q or q and not p", facts)).toBe(p !== q);
  });

  it("treats only the boolean true as true", () => {
    expect(evaluate("x and true", { x: 1 })).toBe(false);
    expect(evaluate('x or false', { x: "yes" })).toBe(false);
    expect(evaluate("not x", { x: 0 })).toBe(true);
    expect(evaluate("not missing")).toBe(true);
    expect(evaluate('x ? "then" : "else"', { x: 1 })).toBe("else");
  });

  it("short-circuits and / or / ?: so an unused branch cannot fail", () => {
    expect(evaluate("false and 1 / 0 > 0")).toBe(false);
    expect(evaluate("true or 1 / 0 > 0")).toBe(true);
    expect(evaluate("x > 0 ? 10 / x : 0", { x: 0 })).toBe(0);
    expect(() => evaluate("true and 1 / 0 > 0")).toThrow(EvaluationError);
  });

  it("evaluates nested ternaries right to left", () => {
    const grade = compileExpression('score >= 90 ? "A" : score >= 75 ? "B" : score >= 60 ? "C" : "D"');
    for (const score of [95, 90, 80, 75, 60, 59, 0]) {
      const expected = score >= 90 ? "A" : score >= 75 ? "B" : score >= 60 ? "C" : "D";
      expect(grade.evaluate({ score })).toBe(expected);
    }
  });

  it("tests membership with in: arrays by value, strings by substring", () => {
    expect(evaluate('customer.tier in ["A", "B"]', { customer: { tier: "B" } })).toBe(true);
    expect(evaluate('customer.tier in ["A", "B"]', { customer: { tier: "C" } })).toBe(false);
    expect(evaluate("3 in [1, 2]")).toBe(false);
    expect(evaluate("x in list", { x: [1], list: [[1], [2]] })).toBe(true);
    expect(evaluate('"ell" in "hello"')).toBe(true);
    expect(evaluate('"z" in "hello"')).toBe(false);
    expect(evaluate("1 in missing")).toBe(false);
    expect(evaluate("x in 5", { x: 5 })).toBe(false);
    expect(evaluate('d in ["2026-01-01T00:00:00Z"]', { d: "2026-01-01T08:00:00+08:00" })).toBe(true);
  });
});

describe("member and index access", () => {
  const facts = {
    order: { lines: [{ sku: "A", qty: 2 }, { sku: "B", qty: 3 }], "odd key": 7 },
    i: 1,
    key: "sku",
  };

  it("reads nested members, array items and dynamic keys", () => {
    expect(evaluate("order.lines[1].qty", facts)).toBe(facts.order.lines[1]!.qty);
    expect(evaluate("order.lines[i][key]", facts)).toBe(facts.order.lines[facts.i]![facts.key as "sku"]);
    expect(evaluate('order["lines"][0]["sku"]', facts)).toBe("A");
    expect(evaluate('order["odd key"]', facts)).toBe(7);
    expect(evaluate("[10, 20, 30][i]", facts)).toBe(20);
    expect(evaluate("sum(map(order.lines, l => l.qty))", facts)).toBe(5);
  });

  it("gives null for anything missing, never an error", () => {
    for (const src of [
      "order.lines[5].qty",
      "order.lines[-1]",
      "order.lines[1.5]",
      "order.lines[true]",
      "order.nothing.deeper.still",
      "order.lines.sku",
      "nothing[0]",
      "i.x",
      "key[0]",
      "key.length",
    ]) {
      expect(evaluate(src, facts), src).toBeNull();
    }
  });

  it("lists the fact paths an expression reads, in order of first use", () => {
    const e = compileExpression("order.amount > 10 and customer.tier == \"A\" or order.amount < 0 and count(orders, o => o.x) > 0");
    expect(e.facts).toEqual(["order.amount", "customer.tier", "orders"]);
    expect(e.source).toContain("order.amount");
  });
});

describe("strings", () => {
  it("accepts double and single quotes and escapes", () => {
    expect(evaluate('"double"')).toBe("double");
    expect(evaluate("'single'")).toBe("single");
    expect(evaluate('"say \\"hi\\""')).toBe('say "hi"');
    expect(evaluate("'it\\'s'")).toBe("it's");
    expect(evaluate('"a\\tb\\nc"')).toBe("a\tb\nc");
    expect(evaluate('"\\u0041\\u4e2d"')).toBe("A\u4e2d");
    expect(evaluate('"not and or in"')).toBe("not and or in");
  });

  it("keeps keywords and function names inside strings as text", () => {
    expect(evaluate('"count(x) => y" + "!"')).toBe("count(x) => y!");
    expect(evaluate('"a;b|c&d" == s', { s: "a;b|c&d" })).toBe(true);
  });
});

describe("dates", () => {
  it("binds now to the at option, normalised to UTC", () => {
    const e = compileExpression("now");
    expect(e.evaluate({}, { at: "2026-03-01T00:00:00+08:00" })).toBe(new Date("2026-03-01T00:00:00+08:00").toISOString());
    expect(e.evaluate({}, { at: new Date(Date.UTC(2026, 0, 2)) })).toBe("2026-01-02T00:00:00.000Z");
  });

  it("defaults now to the current time", () => {
    const before = Date.now();
    const now = Date.parse(String(compileExpression("now").evaluate({})));
    expect(now).toBeGreaterThanOrEqual(before - 1000);
    expect(now).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("refuses an at that is not a date", () => {
    expect(() => compileExpression("now").evaluate({}, { at: "yesterday" })).toThrow(EvaluationError);
  });

  test.prop([instant, instant, offset, offset], { seed: 11, numRuns: 200 })(
    "daysBetween(x, now) counts whole days whatever the offsets",
    (from, at, o1, o2) => {
      const e = compileExpression("daysBetween(opportunity.lastUpdatedAt, now)");
      const got = e.evaluate({ opportunity: { lastUpdatedAt: isoWithOffset(from, o1) } }, { at: isoWithOffset(at, o2) });
      expect(got).toBe(Math.trunc((at - from) / DAY_MS) + 0); // never -0
    },
  );

  test.prop([instant, instant, offset], { seed: 12, numRuns: 100 })("hoursBetween counts whole hours", (from, to, o) => {
    expect(evaluate("hoursBetween(a, b)", { a: isoWithOffset(from, o), b: new Date(to).toISOString() })).toBe(
      Math.trunc((to - from) / HOUR_MS) + 0,
    );
  });

  test.prop([instant, offset, fc.integer({ min: -400, max: 400 })], { seed: 13, numRuns: 100 })(
    "addDays and addHours move the instant and answer in UTC",
    (t, o, n) => {
      const facts = { d: isoWithOffset(t, o), n };
      expect(evaluate("addDays(d, n)", facts)).toBe(new Date(t + n * DAY_MS).toISOString());
      expect(evaluate("addHours(d, n)", facts)).toBe(new Date(t + n * HOUR_MS).toISOString());
      expect(evaluate("daysBetween(d, addDays(d, n))", facts)).toBe(n);
    },
  );

  test.prop([instant, instant, offset, offset, fc.boolean()], { seed: 14, numRuns: 200 })(
    "compares ISO strings by instant across offsets",
    (t1, t2, o1, o2, same) => {
      const b = same ? t1 : t2;
      const facts = { a: isoWithOffset(t1, o1), b: isoWithOffset(b, o2) };
      expect(evaluate("a < b", facts)).toBe(t1 < b);
      expect(evaluate("a > b", facts)).toBe(t1 > b);
      expect(evaluate("a == b", facts)).toBe(t1 === b);
      expect(evaluate("a != b", facts)).toBe(t1 !== b);
      expect(evaluate("max(a, b) == a", facts)).toBe(t1 >= b);
    },
  );

  it("compares a date-only string with a date-time at midnight UTC", () => {
    expect(evaluate('"2026-01-01" == "2026-01-01T08:00:00+08:00"')).toBe(true);
    expect(evaluate('"2026-01-02" > "2026-01-01T23:59:59Z"')).toBe(true);
  });

  it("parses date() strictly and normalises it to UTC", () => {
    expect(evaluate('date("2026-01-01T09:30:00+08:00")')).toBe("2026-01-01T01:30:00.000Z");
    expect(evaluate('date("2024-02-29")')).toBe("2024-02-29T00:00:00.000Z");
    expect(evaluate('date("0050-06-01")')).toBe("0050-06-01T00:00:00.000Z");
    for (const bad of ["2026-02-30", "2026-02-30T00:00:00Z", "2025-02-29T12:00:00Z", "2026-13-01", "2026-01-01T24:00:00Z", "2026-01-01T10:60:00Z", "01/02/2026", "soon"]) {
      expect(() => evaluate(`date("${bad}")`), bad).toThrow(EvaluationError);
    }
  });

  it("refuses to order a date against a plain string", () => {
    expect(() => evaluate('"A" > "2026-01-01"')).toThrow(/cannot compare string "A" with string "2026-01-01"/);
    expect(() => evaluate('"A" < "2026-01-01"')).toThrow(/cannot compare/);
  });
});

describe("aggregates with lambdas", () => {
  const orderArb = fc.record({
    status: fc.constantFrom("returned", "paid", "open"),
    amount: fc.option(fc.integer({ min: -1000, max: 100_000 }), { nil: null }),
  });

  test.prop([fc.array(orderArb, { maxLength: 12 })], { seed: 21, numRuns: 150 })("agree with a plain loop", (orders) => {
    const facts = { orders };
    const amounts = orders.map((o) => o.amount).filter((a): a is number => a !== null);
    const returned = orders.filter((o) => o.status === "returned");
    expect(evaluate('count(orders, o => o.status == "returned")', facts)).toBe(returned.length);
    expect(evaluate("count(orders)", facts)).toBe(orders.length);
    expect(evaluate("sum(orders, o => o.amount)", facts)).toBe(amounts.reduce((s, a) => s + a, 0));
    expect(evaluate("min(orders, o => o.amount)", facts)).toBe(amounts.length ? Math.min(...amounts) : null);
    expect(evaluate("max(orders, o => o.amount)", facts)).toBe(amounts.length ? Math.max(...amounts) : null);
    const avg = evaluate("avg(orders, o => o.amount)", facts);
    if (amounts.length === 0) expect(avg).toBeNull();
    else expect(avg).toBeCloseTo(amounts.reduce((s, a) => s + a, 0) / amounts.length, 6);
    expect(evaluate("any(orders, o => o.amount > 50000)", facts)).toBe(orders.some((o) => o.amount !== null && o.amount > 50000));
    expect(evaluate('all(orders, o => o.status != "open")', facts)).toBe(orders.every((o) => o.status !== "open"));
    expect(evaluate('filter(orders, o => o.status == "paid")', facts)).toEqual(orders.filter((o) => o.status === "paid"));
    expect(evaluate("map(orders, o => o.status)", facts)).toEqual(orders.map((o) => o.status));
    expect(evaluate("sum(filter(orders, o => o.amount != null and o.amount > 0), o => o.amount)", facts)).toBe(
      amounts.filter((a) => a > 0).reduce((s, a) => s + a, 0),
    );
  });

  it("lets lambdas read outer facts and nest, with inner parameters shadowing outer ones", () => {
    const facts = { threshold: 3, groups: [[1, 5], [4, 4, 9], []] };
    expect(evaluate("count(groups, g => count(g, x => x > threshold) > 1)", facts)).toBe(1);
    expect(evaluate("map(groups, g => count(g, g => g > threshold))", facts)).toEqual([1, 3, 0]);
    expect(evaluate("map(groups, g => sum(g))", facts)).toEqual([6, 17, 0]);
  });

  it("restores a parameter after the lambda runs, even when it throws", () => {
    const e = compileExpression("count(xs, x => 10 / x > 1)");
    expect(() => e.evaluate({ xs: [1, 0] })).toThrow(EvaluationError);
    expect(e.evaluate({ xs: [1, 2, 20] })).toBe(2);
  });

  it("takes plain value lists for min and max", () => {
    expect(evaluate("min(3, 1, 2)")).toBe(1);
    expect(evaluate("max(3, missing, 7)")).toBe(7);
    expect(evaluate("min(missing, null)")).toBeNull();
    expect(evaluate('max("b", "a", "c")')).toBe("c");
    expect(evaluate("min([4, null, 2])")).toBe(2);
  });

  it("propagates a missing array instead of failing", () => {
    expect(evaluate("count(missing)")).toBe(0);
    expect(evaluate("count(missing, x => x > 1)")).toBe(0);
    expect(evaluate("sum(missing)")).toBeNull();
    expect(evaluate("avg(missing, x => x)")).toBeNull();
    expect(evaluate("min(missing, x => x.amount)")).toBeNull();
    expect(evaluate("max(missing, x => x.amount)")).toBeNull();
    expect(evaluate("any(missing, x => true)")).toBe(false);
    expect(evaluate("all(missing, x => false)")).toBe(true);
    expect(evaluate("filter(missing, x => true)")).toEqual([]);
    expect(evaluate("map(missing, x => 1)")).toEqual([]);
  });

  it("refuses a second argument that is not a lambda where a lambda is expected", () => {
    for (const src of ["sum(xs, 3)", "avg(xs, 3)", "count(xs, 3)", "any(xs, 3)", "map(xs, 3)", "max(xs, 3)"]) {
      const e = ruleflowError("EVALUATION_ERROR", () => evaluate(src, { xs: [1, 2] }));
      expect(e.message, src).toContain("lambda");
    }
  });

  it("rejects a lambda where it is not an aggregate's argument", () => {
    expect(expressionError("x => x").position).toBe(0);
    const e = expressionError("1 + lower(x => x)");
    expect(e.message).toContain("does not take a lambda");
    expect(e.position).toBe("1 + lower(".length);
    expect(expressionError("count(x => x, xs)").message).toContain("does not take a lambda");
    expect(expressionError("count(xs, now => 1)").message).toContain('"now"');
  });
});

describe("null propagation", () => {
  it("turns arithmetic on missing or null values into null", () => {
    for (const src of ["missing + 1", "1 - missing", "missing * 2", "n / 2", "n % 2", "n ^ 2", "-missing", "+missing", "(missing + 1) * 2"]) {
      expect(evaluate(src, { n: null }), src).toBeNull();
    }
  });

  it("treats a missing fact as null in equality", () => {
    expect(evaluate("missing == null")).toBe(true);
    expect(evaluate("missing != null")).toBe(false);
    expect(evaluate("n == null", { n: null })).toBe(true);
    expect(evaluate("n == 0", { n: null })).toBe(false);
    expect(evaluate("z == null", { z: 0 })).toBe(false);
    expect(evaluate("null")).toBeNull();
    expect(evaluate("coalesce(null, missing, 3)")).toBe(3);
  });

  it("returns null, never undefined, from evaluate", () => {
    expect(evaluate("missing")).toBeNull();
    expect(evaluate("a.b.c", { a: {} })).toBeNull();
  });
});

type BuiltinCase = () => void;

/** One check per built-in function; the list must name every function in BUILTIN_FUNCTIONS. */
const builtinCases: Record<string, BuiltinCase> = {
  abs: () => {
    for (const x of [-2.5, 0, 3]) expect(evaluate("abs(x)", { x })).toBe(Math.abs(x));
  },
  floor: () => {
    for (const x of [-2.5, 0, 3.7]) expect(evaluate("floor(x)", { x })).toBe(Math.floor(x));
  },
  ceil: () => {
    for (const x of [-2.5, 0, 3.2]) expect(evaluate("ceil(x)", { x })).toBe(Math.ceil(x));
  },
  trunc: () => {
    for (const x of [-2.7, 0, 3.7]) expect(evaluate("trunc(x)", { x })).toBe(Math.trunc(x));
  },
  sqrt: () => {
    for (const x of [0, 2, 16]) expect(evaluate("sqrt(x)", { x })).toBe(Math.sqrt(x));
  },
  round: () => {
    expect(evaluate("round(2.5)")).toBe(3);
    expect(evaluate("round(-2.5)")).toBe(-3);
    expect(evaluate("round(1.005, 2)")).toBe(1.01);
    expect(evaluate("round(1234.5678, 1)")).toBe(1234.6);
    expect(evaluate("round(missing, 2)")).toBeNull();
    expect(() => evaluate("round(1, 13)")).toThrow(EvaluationError);
    expect(() => evaluate("round(1, 0.5)")).toThrow(EvaluationError);
  },
  pow: () => {
    expect(evaluate("pow(x, y)", { x: 3, y: 4 })).toBe(3 ** 4);
    expect(evaluate("pow(x, missing)", { x: 3 })).toBeNull();
  },
  min: () => expect(evaluate("min(x, y)", { x: 4, y: -1 })).toBe(Math.min(4, -1)),
  max: () => expect(evaluate("max(x, y)", { x: 4, y: -1 })).toBe(Math.max(4, -1)),
  sum: () => expect(evaluate("sum(xs)", { xs: [1, 2, null, 4] })).toBe(7),
  avg: () => expect(evaluate("avg(xs)", { xs: [1, 2, null, 6] })).toBe(3),
  count: () => expect(evaluate("count(xs, x => x > 1)", { xs: [1, 2, 3] })).toBe(2),
  any: () => expect(evaluate("any(xs, x => x > 2)", { xs: [1, 2, 3] })).toBe(true),
  all: () => expect(evaluate("all(xs, x => x > 2)", { xs: [1, 2, 3] })).toBe(false),
  filter: () => expect(evaluate("filter(xs, x => x != 2)", { xs: [1, 2, 3] })).toEqual([1, 3]),
  map: () => expect(evaluate("map(xs, x => x * 10)", { xs: [1, 2, 3] })).toEqual([10, 20, 30]),
  len: () => {
    expect(evaluate("len(s)", { s: "héllo" })).toBe("héllo".length);
    expect(evaluate("len(xs)", { xs: [1, 2] })).toBe(2);
    expect(evaluate("len(missing)")).toBe(0);
    expect(() => evaluate("len(5)")).toThrow(EvaluationError);
  },
  lower: () => expect(evaluate("lower(s)", { s: "AbC" })).toBe("abc"),
  upper: () => expect(evaluate("upper(s)", { s: "AbC" })).toBe("ABC"),
  trim: () => expect(evaluate("trim(s)", { s: "  x y \t" })).toBe("x y"),
  contains: () => {
    expect(evaluate('contains(s, "ell")', { s: "hello" })).toBe(true);
    expect(evaluate("contains(xs, 2)", { xs: [1, 2] })).toBe(true);
    expect(evaluate("contains(xs, 3)", { xs: [1, 2] })).toBe(false);
    expect(evaluate("contains(missing, 3)")).toBe(false);
    expect(() => evaluate("contains(5, 3)")).toThrow(EvaluationError);
  },
  startsWith: () => {
    expect(evaluate('startsWith(s, "SO-")', { s: "SO-1" })).toBe(true);
    expect(evaluate('startsWith(s, "PO-")', { s: "SO-1" })).toBe(false);
  },
  endsWith: () => {
    expect(evaluate('endsWith(s, "-1")', { s: "SO-1" })).toBe(true);
    expect(evaluate('endsWith(missing, "-1")')).toBe(false);
  },
  substring: () => {
    expect(evaluate("substring(s, 1, 3)", { s: "abcdef" })).toBe("abcdef".substring(1, 3));
    expect(evaluate("substring(s, 2)", { s: "abcdef" })).toBe("abcdef".substring(2));
  },
  string: () => {
    expect(evaluate("string(x)", { x: 12.5 })).toBe("12.5");
    expect(evaluate("string(x)", { x: true })).toBe("true");
    expect(evaluate("string(xs)", { xs: [1, "a"] })).toBe(JSON.stringify([1, "a"]));
    expect(evaluate("string(missing)")).toBeNull();
  },
  number: () => {
    expect(evaluate("number(true)")).toBe(1);
    expect(evaluate("number(false)")).toBe(0);
    expect(evaluate("number(s)", { s: "12.5" })).toBe(12.5);
    expect(evaluate("number(s)", { s: "12abc" })).toBeNull();
    expect(evaluate("number(s)", { s: " " })).toBeNull();
    expect(evaluate("number(7)")).toBe(7);
  },
  decimal: () => {
    expect(evaluate('decimal("0.10") + 0.2')).toBe("0.30");
    expect(evaluate("decimal(x)", { x: 12.5 })).toBe("12.5");
    expect(evaluate("decimal(missing)")).toBeNull();
    expect(() => evaluate('decimal("1,000")')).toThrow(/decimal\(\)/);
  },
  allocate: () => {
    expect(evaluate('allocate("10.00", [1, 2])')).toEqual(["3.33", "6.67"]);
    expect(evaluate("allocate(missing, [1])")).toBeNull();
  },
  concat: () => {
    expect(evaluate('concat("A-", 7, missing, "-", true)')).toBe("A-7-true");
  },
  coalesce: () => {
    expect(evaluate("coalesce(a, b, 0)", { b: 5 })).toBe(5);
    expect(evaluate("coalesce(a, b)", {})).toBeNull();
    expect(evaluate("coalesce(a, 1)", { a: false })).toBe(false);
  },
  isNull: () => {
    expect(evaluate("isNull(missing)")).toBe(true);
    expect(evaluate("isNull(n)", { n: null })).toBe(true);
    expect(evaluate("isNull(z)", { z: 0 })).toBe(false);
  },
  date: () => expect(evaluate("date(d)", { d: "2026-05-01T08:00:00+08:00" })).toBe("2026-05-01T00:00:00.000Z"),
  daysBetween: () => {
    expect(evaluate('daysBetween("2026-01-01", "2026-01-31")')).toBe(30);
    expect(evaluate('daysBetween("2026-01-31", "2026-01-01")')).toBe(-30);
    expect(evaluate('daysBetween(missing, "2026-01-01")')).toBeNull();
    expect(() => evaluate('daysBetween("next week", "2026-01-01")')).toThrow(EvaluationError);
  },
  hoursBetween: () => expect(evaluate('hoursBetween("2026-01-01T00:00:00Z", "2026-01-01T05:59:59Z")')).toBe(5),
  addDays: () => expect(evaluate('addDays("2026-01-31", 1)')).toBe("2026-02-01T00:00:00.000Z"),
  addHours: () => expect(evaluate('addHours("2026-01-01T23:00:00+08:00", 2)')).toBe("2026-01-01T17:00:00.000Z"),
  minutesBetween: () => expect(evaluate('minutesBetween("2026-01-01T00:00:00Z", "2026-01-01T02:59:59Z")')).toBe(179),
  secondsBetween: () => expect(evaluate('secondsBetween("2026-01-01T00:00:01Z", "2026-01-01T00:00:00.500Z")')).toBe(0),
  localDate: () => expect(evaluate('localDate("2026-01-01T23:30:00-01:00")')).toBe("2026-01-02"),
  // The working-day functions need a calendar: tests/expr-workdays.test.ts covers them on cn-mainland.
  isWorkday: () => expect(onCnMainland('isWorkday("2026-02-14")')).toBe(true),
  workdaysBetween: () => expect(onCnMainland('workdaysBetween("2026-02-13", "2026-02-24")')).toBe(2),
  addWorkdays: () => expect(onCnMainland('addWorkdays("2026-02-13", 2)')).toBe("2026-02-24"),
  isWorkingTime: () => expect(onCnMainland('isWorkingTime("2026-02-24T12:00:00+08:00")')).toBe(false),
  businessHoursBetween: () => expect(onCnMainland('businessHoursBetween("2026-02-13T17:00:00+08:00", "2026-02-14T09:30:00+08:00")')).toBe(1.5),
};

function onCnMainland(source: string): unknown {
  const rules = compileRuleSet({ id: "cal", version: 1, calendar: "cn-mainland", rules: [{ id: "r", then: { v: { expr: source } } }] });
  return (rules.evaluate({}, { at: "2026-02-24T10:00:00+08:00" }).output as { v: unknown }).v;
}

describe("built-in functions", () => {
  it("are all covered by this suite", () => {
    expect(Object.keys(builtinCases).sort()).toEqual(Object.keys(BUILTIN_FUNCTIONS).sort());
  });

  for (const [name, check] of Object.entries(builtinCases)) {
    it(`${name} computes its documented result`, check);
  }

  it("pass null through when an argument is missing", () => {
    for (const name of ["abs", "floor", "ceil", "trunc", "sqrt", "round", "lower", "upper", "trim", "date"]) {
      expect(evaluate(`${name}(missing)`), name).toBeNull();
    }
  });

  it("refuse wrong argument types with an evaluation error naming the function", () => {
    for (const [src, fn] of [
      ['abs("x")', "abs"],
      ["lower(5)", "lower"],
      ['sum(["a"])', "sum"],
      ['addDays("2026-01-01", "x")', "addDays"],
      ["substring(5, 1)", "substring"],
      ['min(1, "a")', "min"],
    ] as const) {
      const e = ruleflowError("EVALUATION_ERROR", () => evaluate(src));
      expect(e.message, src).toContain(`${fn}()`);
    }
  });

  it("check argument counts at compile time, at the function's position", () => {
    for (const [name, spec] of Object.entries(BUILTIN_FUNCTIONS)) {
      const prefix = "x + ";
      if (Number.isFinite(spec.maxArgs)) {
        const src = `${prefix}${name}(${Array.from({ length: spec.maxArgs + 1 }, () => "1").join(", ")})`;
        const e = expressionError(src);
        expect(e.message, src).toContain(`${name}() takes`);
        expect(e.position, src).toBe(prefix.length);
      }
      if (spec.minArgs > 0) {
        const src = `${prefix}${name}(${Array.from({ length: spec.minArgs - 1 }, () => "1").join(", ")})`;
        const e = expressionError(src);
        expect(e.position, src).toBe(prefix.length);
      }
    }
  });
});

describe("compile errors carry a position", () => {
  it("points at an unknown function, and suggests a close name", () => {
    for (const src of ["order.amount + foo(1)", "count(xs, x => bar(x) > 1)", "flag ? 1 : frobnicate(2)", '"foo(" + baz(1)']) {
      const name = /([a-z]+)\((?:1|x|2)\)/.exec(src.replace(/^"foo\(" \+ /, ""))![1]!;
      const e = expressionError(src);
      expect(e.message, src).toContain(`unknown function "${name}"`);
      expect(e.position, src).toBe(src.lastIndexOf(name));
    }
    expect(expressionError("lowr(x)").message).toContain('did you mean "lower"');
  });

  it("points at an unknown fact when knownFacts is given", () => {
    const knownFacts = ["order", "customer.tier", "flag"];
    const cases = [
      ["order.amount + custmer.tier", "custmer.tier"],
      ['customer.tier == "A" and customer.segment == "new"', "customer.segment"],
      ["flag ? bogus.a : bogus.b", "bogus.a"],
      ["flag ? order.x : bogus.b", "bogus.b"],
      ["count(order.lines, l => l.x > zzz)", "zzz"],
      ["count(order.lines, o => o.a) + o.b", "o.b"],
    ] as const;
    for (const [src, fact] of cases) {
      const e = expressionError(src, { knownFacts });
      expect(e.message, src).toContain(`unknown fact "${fact}"`);
      expect(e.position, src).toBe(src.indexOf(fact));
    }
    expect(expressionError("order.x + custmer.tier", { knownFacts }).message).toContain('did you mean "customer.tier"');
  });

  it("accepts facts under a known root or path, lambda parameters and now", () => {
    const knownFacts = ["order", "customer.tier"];
    for (const src of ["order.amount.net", "customer.tier", "customer.tier.code", "count(order.lines, l => l.qty > 1)", "daysBetween(order.at, now)"]) {
      expect(() => compileExpression(src, { knownFacts }), src).not.toThrow();
    }
    expect(expressionError("customer", { knownFacts }).position).toBe(0);
  });

  it("reports syntax errors at the offending character", () => {
    const cases: [string, number][] = [
      ["1 +* 2", 3],
      ["1 + 2)", 5],
      ["(1 + 2", 6],
      ['x == "abc', 5],
      ["a === b", 2],
      ["a !== b", 2],
      ["!a", 0],
      ["a && b", 2],
      ["a || b", 2],
      ["a; b", 1],
      ["1 +", 3],
      ["order..amount", 6],
    ];
    for (const [src, pos] of cases) {
      const e = expressionError(src);
      expect(e.message, src).toMatch(/syntax error|unbalanced|unterminated|not an operator|not allowed|ends too early|expected/);
      expect(Math.abs(e.position - pos), `${src}: position ${e.position}`).toBeLessThanOrEqual(1);
      expect(e.message).toContain(`at position ${e.position}`);
    }
  });

  it("rejects empty and non-string sources", () => {
    expect(expressionError("").message).toContain("empty");
    expect(expressionError("   ").message).toContain("empty");
    expect(thrown(() => compileExpression(42 as unknown as string))).toBeInstanceOf(ExpressionError);
  });

  it("rejects assignment, calls on values and other statements", () => {
    expect(isRuleflowError(thrown(() => compileExpression("a = 1")))).toBe(true);
    expect(expressionError("f(1)(2)").message).toContain("only named functions");
    expect(expressionError("x.y(1)").message).toMatch(/only named functions|syntax/);
  });
});

describe("limits", () => {
  it("refuses sources longer than maxLength (default 2000)", () => {
    const ok = `1${" + 1".repeat(20)}`;
    expect(compileExpression(ok).evaluate({})).toBe(21);
    const long = `"${"x".repeat(2000)}"`;
    const e = expressionError(long);
    expect(e.message).toContain("2000");
    expect(expressionError(ok, { maxLength: 10 }).message).toContain("longer than 10");
    expect(() => compileExpression(ok, { maxLength: ok.length })).not.toThrow();
  });

  it("refuses nesting deeper than maxDepth (default 32)", () => {
    const nested = (n: number) => `${"(".repeat(n)}1${")".repeat(n)}`;
    expect(compileExpression(nested(32)).evaluate({})).toBe(1);
    const e = expressionError(nested(33));
    expect(e.message).toContain("nesting deeper than 32");
    expect(e.position).toBe(32);
    expect(expressionError(nested(5), { maxDepth: 4 }).position).toBe(4);
    expect(expressionError("[[[[[1]]]]]", { maxDepth: 4 }).message).toContain("nesting");
  });

  it("refuses operator chains deeper than four times maxDepth", () => {
    const chain = (n: number) => Array.from({ length: n }, () => "x").join(" + ");
    expect(compileExpression(chain(100)).evaluate({ x: 1 })).toBe(100);
    expect(expressionError(chain(200)).message).toContain("nests deeper");
    expect(expressionError(`${"not ".repeat(200)}true`).message).toContain("nests deeper");
  });
});
