/**
 * Equality between text that is not a number and a number can never hold: the
 * answer stays false (true for "not equal"), and a `type_mismatch` warning says
 * so on the result instead of a quiet false (issue: silent wrong answers, item 1).
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileDefinition, explainDecision } from "../src/index.js";
import type { CompiledRuleSet } from "../src/decisions/ruleset.js";

const at = "2026-03-01T00:00:00Z";
const ruleset = (when: unknown): CompiledRuleSet =>
  compileDefinition({ kind: "ruleset", id: "t", version: 1, hitPolicy: "first", rules: [{ id: "r", when, then: { hit: true } }] }) as CompiledRuleSet;

describe("text against a number in an equality", () => {
  it("warns for eq, ne, in, notIn and ==, names the path, and keeps the answer", () => {
    const cases: [unknown, boolean][] = [
      [{ fact: "x", op: "eq", value: 1 }, false],
      [{ fact: "x", op: "ne", value: 1 }, true],
      [{ fact: "x", op: "in", value: [1, 2] }, false],
      [{ fact: "x", op: "notIn", value: [1, 2] }, true],
      [{ expr: "x == 2" }, false],
      [{ expr: "x != 2" }, true],
    ];
    for (const [when, hit] of cases) {
      const r = ruleset(when).evaluate({ x: "abc" }, { at });
      expect(r.output !== null, JSON.stringify(when)).toBe(hit);
      expect(r.warnings.map((w) => [w.code, w.path]), JSON.stringify(when)).toEqual([["type_mismatch", "rules[0].when"]]);
      expect(r.warnings[0]!.message).toMatch(/"abc"/);
    }
  });

  it("says nothing for numeric text, text against text, or a list that holds text", () => {
    expect(ruleset({ fact: "x", op: "eq", value: 1 }).evaluate({ x: "1.00" }, { at }).warnings).toEqual([]);
    expect(ruleset({ fact: "x", op: "eq", value: "abc" }).evaluate({ x: "abd" }, { at }).warnings).toEqual([]);
    expect(ruleset({ fact: "x", op: "in", value: ["A", 1] }).evaluate({ x: "abc" }, { at }).warnings).toEqual([]);
  });

  it("writes the warning in Chinese in explanations", () => {
    const r = ruleset({ fact: "x", op: "eq", value: 1 }).evaluate({ x: "abc" }, { at, trace: true });
    expect(explainDecision(r, { locale: "zh-CN" })).toContain('x 为 string "abc"，不是数字，因此 "x eq 1" 永远不会成立');
    expect(explainDecision(r)).toContain('x is string "abc", which is not a number, so "x eq 1" can never hold');
  });

  test.prop([fc.string().filter((s) => !/^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(s) && Number.isNaN(Number(s))), fc.integer()], { seed: 20261202 })(
    "any non-numeric text against any number: == is false with one warning",
    (text, n) => {
      const r = ruleset({ expr: `x == ${n}` }).evaluate({ x: text }, { at });
      expect(r.output).toBeNull();
      expect(r.warnings.map((w) => w.code)).toEqual(["type_mismatch"]);
    },
  );
});
