import { describe, expect, it } from "vitest";
import { compileExpression, formatIssue, validateDefinition } from "../src/index.js";

describe("string literals", () => {
  it.each([
    [String.raw`"a\\"`, "a\\"],
    [String.raw`'it\'s'`, "it's"],
    [String.raw`"C:\\dir\\" + "file"`, "C:\\dir\\file"],
    [String.raw`"say \"hi\""`, 'say "hi"'],
  ])("%s evaluates to the text it spells", (source, expected) => {
    expect(compileExpression(source).evaluate({})).toBe(expected);
  });
});

describe("an empty condition object", () => {
  it("is reported as 'expected a condition', not as one missing field of one shape", () => {
    const r = validateDefinition({ kind: "ruleset", id: "x", version: 1, rules: [{ id: "a", when: {}, then: {} }] });
    expect(r.issues.map(formatIssue)).toEqual([
      'rules[0].when: expected a condition: { "all": [...] }, { "any": [...] }, { "not": {...} }, { "expr": "..." } or { "fact": "...", "op": "...", "value": ... }, got an object',
    ]);
  });
});
