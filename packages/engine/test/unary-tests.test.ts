/** Decision-table input cells (DMN-style unary tests), every form. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileDecisionTable, ValidationError } from "../src/index.js";
import { CellSyntaxError, compileUnaryTest, equalityKeys, parseUnaryTest } from "../src/decisions/unary-tests.js";
import { isoWithOffset, ruleflowError } from "./helpers.js";

type Cell = string | number | boolean | null;

/** Does `cell` accept `value`? Checked through the internal predicate and through a real one-row table. */
function accepts(cell: Cell, value: unknown): boolean {
  const direct = compileUnaryTest(parseUnaryTest(cell))(value);
  const table = compileDecisionTable({
    id: "cell",
    version: 1,
    hitPolicy: "first",
    inputs: [{ id: "x", expr: "x" }],
    outputs: [{ id: "hit", type: "boolean" }],
    rules: [{ x: cell, hit: true }],
  });
  const viaTable = table.evaluate(value === undefined ? {} : { x: value }).output !== null;
  expect(viaTable, `table and predicate agree on ${JSON.stringify(cell)} for ${JSON.stringify(value)}`).toBe(direct);
  return direct;
}

const num = fc.double({ min: -1e6, max: 1e6, noNaN: true });

describe("any", () => {
  it('"-" and an empty cell accept everything, missing values included', () => {
    for (const cell of ["-", " - ", ""]) {
      expect(parseUnaryTest(cell)).toEqual({ kind: "any" });
      for (const v of [0, "A", null, undefined, true, [1], { a: 1 }]) expect(accepts(cell, v)).toBe(true);
    }
  });
});

describe("comparisons", () => {
  test.prop([num, num], { seed: 41, numRuns: 150 })("< <= > >= = != on numbers agree with JavaScript", (bound, x) => {
    const b = String(bound);
    expect(accepts(`< ${b}`, x)).toBe(x < bound);
    expect(accepts(`<= ${b}`, x)).toBe(x <= bound);
    expect(accepts(`> ${b}`, x)).toBe(x > bound);
    expect(accepts(`>=${b}`, x)).toBe(x >= bound);
    expect(accepts(`= ${b}`, x)).toBe(x === bound);
    expect(accepts(`!= ${b}`, x)).toBe(x !== bound);
    expect(accepts(b, x)).toBe(x === bound);
  });

  it("compare strings by code units, numeric strings as numbers, and refuse to order other mixed types", () => {
    expect(accepts('> "M"', "N")).toBe(true);
    expect(accepts('> "M"', "A")).toBe(false);
    expect(accepts("> 5", "6")).toBe(true);
    expect(accepts("> 5", "5.000000000000000001")).toBe(true);
    expect(accepts('< "5"', 4)).toBe(true);
    expect(() => accepts("> 5", "six")).toThrow(/cannot compare/);
    expect(() => accepts("> 5", true)).toThrow(/cannot compare/);
    expect(accepts("> 0", null)).toBe(false);
    expect(accepts("<= 0", undefined)).toBe(false);
    expect(accepts("!= 5", undefined)).toBe(true);
    expect(accepts("!= null", undefined)).toBe(false);
  });

  it("compare dates by instant, and never order a plain string against a date", () => {
    const cell = '>= date("2026-01-01T00:00:00+08:00")';
    expect(accepts(cell, "2025-12-31T16:00:00Z")).toBe(true);
    expect(accepts(cell, "2025-12-31T15:59:59Z")).toBe(false);
    expect(accepts(cell, "2026-01-01")).toBe(true);
    expect(() => accepts(cell, "ZZZ")).toThrow(/cannot compare/);
    expect(() => accepts('< date("2026-01-01")', "A")).toThrow(/cannot compare/);
  });
});

describe("intervals", () => {
  const forms = [
    { open: "[", close: "]", lowClosed: true, highClosed: true },
    { open: "[", close: ")", lowClosed: true, highClosed: false },
    { open: "(", close: "]", lowClosed: false, highClosed: true },
    { open: "(", close: ")", lowClosed: false, highClosed: false },
    { open: "]", close: "[", lowClosed: false, highClosed: false },
    { open: "]", close: "]", lowClosed: false, highClosed: true },
    { open: "[", close: "[", lowClosed: true, highClosed: false },
  ] as const;

  test.prop([fc.integer({ min: -100, max: 100 }), fc.integer({ min: -100, max: 100 }), fc.integer({ min: -110, max: 110 })], { seed: 42, numRuns: 200 })(
    "every bracket form includes or excludes its ends as written",
    (a, b, x) => {
      const [low, high] = a <= b ? [a, b] : [b, a];
      for (const f of forms) {
        const expected = (f.lowClosed ? x >= low : x > low) && (f.highClosed ? x <= high : x < high);
        expect(accepts(`${f.open}${low}..${high}${f.close}`, x), `${f.open}${low}..${high}${f.close} ${x}`).toBe(expected);
      }
    },
  );

  it("accepts decimals, spaces and date ends", () => {
    expect(accepts("[ 0.9 .. 1 ]", 0.95)).toBe(true);
    expect(accepts("[0.9..1]", 0.899)).toBe(false);
    const q1 = '[date("2026-01-01T00:00:00+08:00")..date("2026-04-01T00:00:00+08:00"))';
    expect(accepts(q1, isoWithOffset(Date.parse("2026-01-01T00:00:00+08:00"), 0))).toBe(true);
    expect(accepts(q1, "2026-03-31T23:59:59+08:00")).toBe(true);
    expect(accepts(q1, "2026-04-01T00:00:00+08:00")).toBe(false);
    expect(accepts(q1, "2026-03-31T16:00:00Z")).toBe(false);
    expect(() => accepts(q1, 5)).toThrow(/cannot compare/);
  });
});

describe("lists, negation and literals", () => {
  it("accepts any of a comma-separated list, mixing forms", () => {
    expect(accepts('"A","B"', "B")).toBe(true);
    expect(accepts('"A", "B"', "C")).toBe(false);
    expect(accepts("1, 2, 3", 2)).toBe(true);
    expect(accepts("< 0, > 100, 50", 50)).toBe(true);
    expect(accepts("< 0, > 100, 50", 49)).toBe(false);
    expect(accepts('"A", [1..2]', 1.5)).toBe(true);
  });

  it("not(...) accepts exactly what its list rejects", () => {
    for (const v of ["A", "B", "C", 1, null, undefined]) {
      expect(accepts('not("A", "B")', v)).toBe(!accepts('"A", "B"', v));
    }
    for (const v of [0, 1, "2", null, undefined]) expect(accepts("not(>= 1)", v)).toBe(!accepts(">= 1", v));
    expect(accepts('not("C")', "C")).toBe(false);
    expect(accepts('not("C")', undefined)).toBe(true);
  });

  it("reads quoted strings with either quote and escapes", () => {
    expect(accepts("'single'", "single")).toBe(true);
    expect(accepts('"say \\"hi\\""', 'say "hi"')).toBe(true);
    expect(accepts('"a,b"', "a,b")).toBe(true);
    expect(accepts('"-"', "-")).toBe(true);
    expect(accepts('"-"', "x")).toBe(false);
    expect(accepts('"not(x)"', "not(x)")).toBe(true);
  });

  it("matches booleans, numbers and null exactly", () => {
    expect(accepts("true", true)).toBe(true);
    expect(accepts("true", "true")).toBe(false);
    expect(accepts("false", 0)).toBe(false);
    expect(accepts("-1.5e2", -150)).toBe(true);
    expect(accepts("0", false)).toBe(false);
    expect(accepts("null", null)).toBe(true);
    expect(accepts("null", undefined)).toBe(true);
    expect(accepts("null", 0)).toBe(false);
  });

  it("treats non-string JSON cells as equality with that value", () => {
    expect(accepts(5, 5)).toBe(true);
    expect(accepts(5, "5")).toBe(true);
    expect(accepts(5, "5.00")).toBe(true);
    expect(accepts(5, "five")).toBe(false);
    expect(accepts(true, true)).toBe(true);
    expect(accepts(false, null)).toBe(false);
    expect(accepts(null, undefined)).toBe(true);
  });

  it("date(...) equals the same instant written with any offset", () => {
    const cell = 'date("2026-01-01T09:00:00+08:00")';
    expect(accepts(cell, "2026-01-01T01:00:00Z")).toBe(true);
    expect(accepts(cell, "2026-01-01T01:00:00.000-00:00")).toBe(true);
    expect(accepts(cell, "2026-01-01T09:00:00Z")).toBe(false);
  });
});

describe("cell syntax errors", () => {
  it("throw CellSyntaxError with the position of the problem", () => {
    const cases: [string, RegExp][] = [
      ["abc", /expected a value.*position 0/],
      [">", /expected a value.*position 1/],
      ["1,", /expected a value.*position 2/],
      ["[1..", /position 4/],
      ["[1..5", /expected "\]", "\)" or "\["/],
      ["[5..1]", /low end is above its high end/],
      ['[1.."b"]', /two numbers or two dates/],
      ['"open', /unterminated string/],
      ["not(1", /expected "\)" to close not\(/],
      ['date("soon")', /date\(\) expects an ISO-8601 date/],
      ["1 2", /unexpected text/],
      ['"A" "B"', /unexpected text/],
    ];
    for (const [cell, message] of cases) {
      const e = (() => {
        try {
          parseUnaryTest(cell);
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e, cell).toBeInstanceOf(CellSyntaxError);
      expect((e as Error).message, cell).toMatch(message);
    }
  });

  it("become validation issues at the cell's path when a table is compiled", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () =>
      compileDecisionTable({
        id: "t",
        version: 1,
        inputs: [{ id: "a", expr: "a" }, { id: "b", expr: "b" }],
        outputs: [{ id: "o", type: "number" }],
        rules: [
          { a: ">= 1", b: "-", o: 1 },
          { a: "[9..1]", b: "bogus", o: 2 },
          { a: { nested: true }, b: [1], o: 3 },
        ],
      }),
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["invalid_cell", "rules.1.a"],
      ["invalid_cell", "rules.1.b"],
      ["invalid_cell", "rules.2.a"],
      ["invalid_cell", "rules.2.b"],
    ]);
  });
});

describe("equalityKeys (used to index rows)", () => {
  it("lists the accepted values of pure equality cells", () => {
    expect(equalityKeys(parseUnaryTest('"A","B"'))).toEqual(["A", "B"]);
    expect(equalityKeys(parseUnaryTest("1, 2"))).toEqual([1, 2]);
    expect(equalityKeys(parseUnaryTest('= "X"'))).toEqual(["X"]);
    expect(equalityKeys(parseUnaryTest(true))).toEqual([true]);
  });

  it("gives up on anything an index could get wrong", () => {
    for (const cell of ["-", "> 1", "[1..2]", 'not("A")', "!= 1", "null", 'date("2026-01-01")', '"2026-01-01"', '"A", > 1']) {
      expect(equalityKeys(parseUnaryTest(cell)), cell).toBeUndefined();
    }
  });
});
