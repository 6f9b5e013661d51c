/** Expression, condition, decision and promotion check messages in zh-CN, at their paths; English unchanged. */
import { describe, expect, it } from "vitest";
import { validateDefinition } from "../src/definitions.js";
import { formatIssue, type Issue } from "../src/core/errors.js";
import { localizeIssues } from "../src/i18n/issues.js";

function issuesOf(doc: unknown): Issue[] {
  const r = validateDefinition(doc);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.issues;
}
const zh = (doc: unknown): string[] => localizeIssues(issuesOf(doc), "zh-CN").map(formatIssue);
const en = (doc: unknown): string[] => issuesOf(doc).map(formatIssue);

const ruleset = (rules: unknown[], extra: Record<string, unknown> = {}) => ({ kind: "ruleset", id: "r", version: 1, hitPolicy: "first", rules, ...extra });

describe("expression messages in zh-CN", () => {
  it("an unknown function with its suggestion, keeping the position", () => {
    const doc = ruleset([{ id: "a", when: { expr: "lenn(order.items) > 2" }, then: { x: 1 } }]);
    expect(zh(doc)).toEqual(['rules[0].when.expr: 未知函数 "lenn"；是否想写 "len"？（位于 "lenn(order.items) > 2" 的位置 0）']);
    expect(en(doc)).toEqual(['rules[0].when.expr: unknown function "lenn"; did you mean "len"? (at position 0 in "lenn(order.items) > 2")']);
  });

  it("a syntax error, a wrong number of arguments, an unknown fact among the declared facts", () => {
    const doc = ruleset(
      [
        { id: "b", when: { expr: "order.amount >" }, then: { x: 1 } },
        { id: "c", when: { expr: "round(order.amount, 1, 2) > 2" }, then: { x: 1 } },
        { id: "d", when: { expr: "order.amount = 2" }, then: { x: 1 } },
      ],
      { facts: ["order.amount"] },
    );
    expect(zh(doc)).toEqual([
      'rules[0].when.expr: 语法错误：表达式不完整，提前结束（位于 "order.amount >" 的位置 14）',
      'rules[1].when.expr: round() 需要 1 到 2 个参数，实际为 3 个（位于 "round(order.amount, 1, 2) > 2" 的位置 0）',
      'rules[2].when.expr: 表达式只能是一个公式（位于 "order.amount = 2" 的位置 0）',
    ]);
    const unknown = ruleset([{ id: "a", when: { expr: "order.amout > 2" }, then: { x: 1 } }], { facts: ["order.amount"] });
    expect(zh(unknown)).toEqual(['rules[0].when.expr: 未知事实 "order.amout"；是否想写 "order.amount"？（位于 "order.amout > 2" 的位置 0）']);
    expect(en(unknown)).toEqual(['rules[0].when.expr: unknown fact "order.amout"; did you mean "order.amount"? (at position 0 in "order.amout > 2")']);
  });
});
