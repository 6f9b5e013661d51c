import { describe, expect, it } from "vitest";
import {
  DEFINITION_KINDS,
  ValidationError,
  compileDefinition,
  formatIssue,
  formatPath,
  validateDefinition,
  type Issue,
} from "../src/index.js";
import { CONDITION_OPERATORS } from "../src/entries/rules.js";
import { loadExampleDefinitions, ruleflowError } from "./helpers.js";

function issuesOf(doc: unknown): Issue[] {
  const r = validateDefinition(doc);
  expect(r.ok).toBe(false);
  // compileDefinition refuses the same document with the same issues.
  const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () => compileDefinition(doc));
  expect(e).toBeInstanceOf(ValidationError);
  expect(e.issues).toEqual(r.issues);
  return r.issues;
}

const printed = (doc: unknown) => issuesOf(doc).map(formatIssue);

function rules(n: number, last: Record<string, unknown>) {
  return [...Array.from({ length: n }, (_, i) => ({ id: `r${i}`, then: { i } })), last];
}

describe("issue paths and messages", () => {
  it("point at the offending field with a JSON path", () => {
    const doc = { kind: "ruleset", id: "x", version: 1, rules: rules(3, { id: "d", when: { all: [{ fact: "x", op: "bogus", value: 1 }] }, then: {} }) };
    const [issue, ...rest] = issuesOf(doc);
    expect(rest).toEqual([]);
    expect(issue!.path).toEqual(["rules", 3, "when", "all", 0, "op"]);
    expect(formatIssue(issue!)).toBe(`rules[3].when.all[0].op: expected one of ${CONDITION_OPERATORS.join(", ")}, got "bogus"`);
  });

  it("report several problems at once, across shape and meaning", () => {
    const doc = {
      kind: "ruleset",
      id: "x y",
      version: 0,
      hitPolicy: "nope",
      rules: [
        { id: "a", then: {}, extra: 1 },
        { id: "b", when: { all: [{ fact: "x", op: "eq", value: 1, typo: 2 }, { any: "x" }] }, then: {} },
        { id: "c", when: { expr: "1 +" }, then: { a: { expr: "foo(1)" } } },
      ],
    };
    const issues = issuesOf(doc);
    expect(issues.map((i) => formatPath(i.path))).toEqual([
      "id",
      "version",
      "hitPolicy",
      "rules[0].extra",
      "rules[1].when.all[0].typo",
      "rules[1].when.all[1].any",
      "rules[2].when.expr",
      "rules[2].then.a.expr",
    ]);
    const text = issues.map(formatIssue).join("\n");
    expect(text).toContain('hitPolicy: expected one of first, priority, collect, got "nope"');
    expect(text).toContain("rules[0].extra: unknown field");
    expect(text).toContain('unknown function "foo"');
    expect(text).toContain("ends too early");
  });

  it("report every meaning problem found after the shape is right", () => {
    const doc = {
      kind: "decision-table",
      id: "t",
      version: 1,
      hitPolicy: "priority",
      facts: ["customer"],
      inputs: [{ id: "tier", expr: "customer.tier" }, { id: "amount", expr: "order.amount" }],
      outputs: [{ id: "rate", type: "decimal" }],
      rules: [
        { tier: "[1..", amount: "-", rate: "abc" },
        { tier: '"A"', amount: ">= 1", colour: "red" },
      ],
    };
    const issues = issuesOf(doc);
    expect(issues.map((i) => [i.code, formatPath(i.path)])).toEqual([
      ["invalid_expression", "inputs[1].expr"],
      ["missing_priority", "outputs"],
      ["invalid_cell", "rules[0].tier"],
      ["invalid_output", "rules[0].rate"],
      ["unknown_column", "rules[1].colour"],
      ["missing_output", "rules[1].rate"],
    ]);
    expect(issues[0]!.message).toContain('unknown fact "order.amount"');
  });

  it("say what was expected and what was found, in plain words", () => {
    const doc = { kind: "decision-table", id: "t", version: 1.5, inputs: [], outputs: [{ id: "id" }], rules: [{}], effective: { from: "2026-01-01" } };
    const issues = issuesOf(doc);
    for (const i of issues) {
      expect(i.message.length).toBeGreaterThan(10);
      expect(i.message).not.toMatch(/\[object Object\]|undefined|Invalid input/);
    }
    const text = issues.map(formatIssue);
    expect(text).toContainEqual(expect.stringMatching(/^effective\.from: expected an ISO-8601 date-time with an offset.*got "2026-01-01"$/));
    expect(text).toContainEqual(expect.stringMatching(/^inputs: a decision table needs at least one input/));
    expect(text).toContainEqual(expect.stringMatching(/^outputs\[0\]\.id: "id" and "description" are reserved/));
    expect(text).toContainEqual(expect.stringMatching(/^version: .*1\.5/));
  });

  it("say which fields are missing", () => {
    expect(printed({ kind: "ruleset" })).toEqual([
      "id: is required (expected a string)",
      "version: is required (expected a number)",
      "rules: is required (expected an array)",
    ]);
  });

  it("refuse non-objects and unknown kinds at the root", () => {
    expect(printed(null)).toEqual(["(root): expected a definition object, got null"]);
    expect(printed([])).toEqual(["(root): expected a definition object, got an array"]);
    expect(printed("ruleset")).toEqual(["(root): expected a definition object, got string"]);
    expect(printed({ kind: "workflow-ish" })).toEqual([`kind: expected one of ${DEFINITION_KINDS.join(", ")}, got "workflow-ish"`]);
    expect(printed({ id: "x" })).toEqual([`kind: expected one of ${DEFINITION_KINDS.join(", ")}, got nothing`]);
  });

  it("print all issues in the error message, one per line, naming the definition", () => {
    const e = ruleflowError<ValidationError>("VALIDATION_ERROR", () => compileDefinition({ kind: "ruleset", id: "named", version: 0, rules: [] }));
    expect(e.message.split("\n")).toEqual([
      'Invalid definition "named": 2 problems',
      "  version: expected a whole number >= 1, got 0",
      "  rules: a rule set needs at least one rule, got an array",
    ]);
  });

  it("check operator values against what each operator needs", () => {
    const leaf = (op: string, value?: unknown) => ({
      kind: "ruleset",
      id: "x",
      version: 1,
      rules: [{ id: "r", when: value === undefined ? { fact: "f", op } : { fact: "f", op, value }, then: {} }],
    });
    const bad: [string, unknown][] = [
      ["in", "A"],
      ["notIn", 1],
      ["between", [1]],
      ["between", [5, 1]],
      ["between", ["a", 1]],
      ["exists", "yes"],
      ["startsWith", 1],
      ["endsWith", null],
      ["before", "tomorrow"],
      ["after", 20260101],
      ["withinLast", "3 days"],
      ["gt", [1]],
      ["lte", true],
      ["eq", undefined],
      ["contains", undefined],
    ];
    for (const [op, value] of bad) {
      const issues = issuesOf(leaf(op, value));
      expect(issues, `${op} ${JSON.stringify(value)}`).toHaveLength(1);
      expect(formatPath(issues[0]!.path)).toBe("rules[0].when.value");
      expect(issues[0]!.message).toContain(`"${op}"`);
    }
    const good: [string, unknown][] = [
      ["in", []],
      ["between", ["2026-01-01", "2026-02-01T00:00:00+08:00"]],
      ["exists", undefined],
      ["exists", false],
      ["withinLast", "P1Y2M3DT4H"],
      ["gt", "2026-01-01"],
      ["eq", null],
      ["ne", { fact: "g" }],
      ["in", { fact: "g" }],
    ];
    for (const [op, value] of good) expect(validateDefinition(leaf(op, value)).ok, `${op} ${JSON.stringify(value)}`).toBe(true);
  });

  it("refuse unsafe fact paths wherever they appear", () => {
    const issues = issuesOf({
      kind: "ruleset",
      id: "x",
      version: 1,
      rules: [
        { id: "a", when: { fact: "order.__proto__.x", op: "exists" }, then: {} },
        { id: "b", when: { fact: "order..x", op: "exists" }, then: {} },
        { id: "c", when: { fact: "x", op: "eq", value: { fact: "constructor" } }, then: {} },
        { id: "e", then: { x: { expr: 'order["__proto__"]' } } },
      ],
    });
    expect(issues.map((i) => formatPath(i.path))).toEqual(["rules[0].when.fact", "rules[1].when.fact", "rules[2].when.value.fact"]);
    const inExpr = issuesOf({ kind: "ruleset", id: "x", version: 1, rules: [{ id: "d", when: { expr: "order.constructor" }, then: {} }] });
    expect(inExpr.map((i) => formatPath(i.path))).toEqual(["rules[0].when.expr"]);
    expect(inExpr[0]!.message).toContain('"constructor" is not allowed');
  });
});

describe("valid documents", () => {
  it("validate the seed examples and every example in DSL.md", () => {
    const examples = loadExampleDefinitions();
    // the four seed rules are there (other examples may join them)
    expect([...examples.keys()]).toEqual(expect.arrayContaining(["contract-auto-approval", "first-order-points", "fmcg-display-precheck", "rebate-rate"]));
    for (const [id, doc] of examples) {
      const r = validateDefinition(doc);
      expect(r.issues, id).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.definition!.id).toBe(id);
    }
    const dslRebate = {
      kind: "decision-table",
      id: "rebate-rate",
      version: 2,
      hitPolicy: "first",
      inputs: [
        { id: "tier", expr: "customer.tier" },
        { id: "line", expr: "order.productLine" },
        { id: "paid", expr: "customer.paymentRate90d" },
      ],
      outputs: [{ id: "rate", type: "decimal" }],
      rules: [
        { tier: '"A"', line: '"new"', paid: ">= 0.95", rate: "0.125" },
        { tier: '"A"', line: "-", paid: ">= 0.95", rate: "0.10" },
        { tier: "-", line: "-", paid: "-", rate: "0.05" },
      ],
    };
    expect(validateDefinition(dslRebate).ok).toBe(true);
  });

  it("return the compiled definition with defaults applied", () => {
    const r = validateDefinition({ kind: "decision-table", id: "t", version: 1, inputs: [{ id: "x", expr: "x" }], outputs: [{ id: "y" }], rules: [{ x: "-", y: "a" }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.definition.kind).toBe("decision-table");
    expect(r.definition.document).toMatchObject({ hitPolicy: "unique", outputs: [{ id: "y", type: "string" }] });
  });
});
