/**
 * An expression's syntax error points at the token that failed, not at the
 * first place the same text occurs (the parser names the token but not where
 * it is). Found by the condition editor, which draws a caret at the position.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileExpression, ExpressionError } from "@ruleflow/engine";

function positionOf(source: string): number {
  try {
    compileExpression(source);
  } catch (e) {
    if (e instanceof ExpressionError) return e.position;
    throw e;
  }
  throw new Error(`"${source}" compiled`);
}

describe("the position of an unexpected token", () => {
  it("is the occurrence that failed when the same token appears earlier", () => {
    const cases: [string, string][] = [
      ["store.inventoryDays <= 30 and store.competitorNewSkus <<= 3", "<<= 3"],
      ["x <= 30 and and y", "and y"],
      ["(a + b) * (c + ) ", ") "],
      ['name == "and" and and x', "and x"],
    ];
    for (const [source, at] of cases) expect(positionOf(source), source).toBe(source.lastIndexOf(at) + (at.startsWith("<<=") ? 1 : 0));
  });

  it("for any valid expression followed by a doubled operator, points into the second half", () => {
    const atom = fc.constantFrom("a", "b.c", "1", "2.5", '"x"', "true");
    const op = fc.constantFrom("and", "or", "<=", ">=", "==", "*"); // binary only: a doubled + or - is a unary sign
    fc.assert(
      fc.property(fc.array(fc.tuple(atom, op), { minLength: 1, maxLength: 4 }), atom, op, (pairs, last, doubled) => {
        const valid = pairs.map(([a, o]) => `${a} ${o} `).join("") + last;
        const source = `${valid} ${doubled} ${doubled} ${last}`;
        const pos = positionOf(source);
        // the failing token is the second `doubled`, after the valid part
        expect(pos).toBeGreaterThan(valid.length);
      }),
    );
  });
});
