import { describe, expect, it } from "vitest";
import { compileExpression, ExpressionError } from "../src/index.js";

describe('"not" next to a comparison', () => {
  it.each(["not a == b", "not a in [1, 2]", "not (p and q) == r", "x and not a >= 3"])("%s is refused with the position of the not", (source) => {
    let error: unknown;
    try {
      compileExpression(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).position).toBe(source.indexOf("not"));
    expect((error as ExpressionError).message).toMatch(/write not \(a == b\)/);
  });

  it.each([
    ["not (a == b)", { a: 1, b: 2 }, true],
    ["(not a) == b", { a: true, b: false }, true],
    ["not a and b == 2", { a: false, b: 2 }, true],
    ["x == not y", { x: false, y: true }, true],
    ['not contains(s, "==")', { s: "a" }, true],
    ["not a ? b == 1 : false", { a: false, b: 1 }, true],
  ] as const)("%s is accepted and means what it says", (source, facts, expected) => {
    expect(compileExpression(source).evaluate(facts, { at: "2026-01-01T00:00:00Z" })).toBe(expected);
  });
});
