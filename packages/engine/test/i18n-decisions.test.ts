import { describe, expect, it } from "vitest";
import { formatIssue, validateDefinition } from "../src/index.js";

const zh = (doc: unknown): string[] => {
  const r = validateDefinition(doc, { locale: "zh-CN" });
  expect(r.ok).toBe(false);
  return r.issues.map(formatIssue);
};
const en = (doc: unknown): string[] => {
  const r = validateDefinition(doc);
  expect(r.ok).toBe(false);
  return r.issues.map(formatIssue);
};

const table = (rules: unknown[], extra: Record<string, unknown> = {}): unknown => ({
  kind: "decision-table",
  id: "t",
  version: 1,
  hitPolicy: "first",
  inputs: [{ id: "tier", expr: "customer.tier" }],
  outputs: [{ id: "discount", type: "number" }],
  ...extra,
  rules,
});

describe("decision table and ruleset checks in zh-CN", () => {
  it("names the bad cell rules[2].<column> and says in Chinese what is wrong with it", () => {
    const doc = table([
      { tier: '"A"', discount: 0.1 },
      { tier: '"B"', discount: 0.05 },
      { tier: "[10..1]", discount: 0 },
    ]);
    expect(zh(doc)).toEqual(['rules[2].tier: 区间下限大于上限（位于 "[10..1]" 的位置 7）']);
    expect(en(doc)).toEqual(['rules[2].tier: interval low end is above its high end at position 7 of "[10..1]"']);
    expect(validateDefinition(doc, { locale: "zh-CN" }).issues.map((i) => [i.code, i.path])).toEqual(validateDefinition(doc).issues.map((i) => [i.code, i.path]));
  });

  it("writes column, output and hit policy problems in Chinese", () => {
    const doc = table([{ tier: '"A"', discount: "lots", colour: "red" }, { tier: { x: 1 } }], {
      hitPolicy: "priority",
      aggregation: "sum",
      outputs: [
        { id: "discount", type: "number" },
        { id: "tier", type: "string" },
      ],
    });
    const messages = zh(doc);
    expect(messages).toEqual(
      expect.arrayContaining([
        'outputs[1].id: 列 id "tier" 重复使用；输入列和输出列的 id 必须唯一',
        expect.stringMatching(/^outputs: hitPolicy "priority" 按输出列 allowedValues 的顺序为规则排序/),
        'aggregation: 只有 hitPolicy "collect" 才能使用 aggregation',
        "aggregation: 使用 aggregation 时必须恰好有一个输出列",
        'rules[0].colour: "colour" 不是此决策表的输入列或输出列；现有列为 tier、discount',
        'rules[0].discount: 应为数字，实际为 string；如需计算取值，请写成 { "expr": "..." }',
        expect.stringMatching(/^rules\[1\]\.tier: 输入单元格应为一元测试/),
        'rules[1].discount: 每条规则都必须为输出列 "discount" 给出值',
      ]),
    );
    for (const m of messages) expect(m).toMatch(/[\u4e00-\u9fff]/);
    expect(en(doc)).toEqual(
      expect.arrayContaining([
        'rules[0].colour: "colour" is not an input or output of this table; columns are tier, discount',
        'rules[0].discount: expected a number, got string; write { "expr": "..." } to compute a value',
      ]),
    );
  });

  it("lists allowed values with Chinese separators and names duplicate ruleset ids", () => {
    const doc = table([{ tier: "-", discount: 3 }], { outputs: [{ id: "discount", type: "number", allowedValues: [1, 2] }] });
    expect(zh(doc)).toEqual(['rules[0].discount: 3 不在输出列 "discount" 的 allowedValues 之中：1、2']);
    expect(en(doc)).toEqual(['rules[0].discount: 3 is not among the allowedValues of output "discount": 1, 2']);
    const rs = {
      kind: "ruleset",
      id: "r",
      version: 1,
      hitPolicy: "priority",
      rules: [
        { id: "a", when: { fact: "x", op: "eq", value: 1 }, then: { y: 1 } },
        { id: "a", when: { fact: "x", op: "eq", value: 2 }, then: { y: 2 } },
      ],
    };
    expect(zh(rs)).toEqual(expect.arrayContaining(['rules[1].id: 规则 id "a" 已被 rules[0] 使用', 'rules: hitPolicy "priority" 要求每条规则都有 "priority" 数值（数值最大者生效）']));
  });
});

describe("condition checks in zh-CN", () => {
  const rs = (when: unknown): unknown => ({ kind: "ruleset", id: "r", version: 1, facts: ["order.amount", "order.date"], rules: [{ id: "a", when, then: { y: 1 } }] });

  it("names an unknown fact and the declared ones in Chinese", () => {
    const doc = rs({ all: [{ fact: "order.amout", op: "gt", value: 1 }] });
    expect(zh(doc)).toEqual(['rules[0].when.all[0].fact: 未知事实 "order.amout"；已声明的事实为 order.amount、order.date']);
    expect(en(doc)).toEqual(['rules[0].when.all[0].fact: unknown fact "order.amout"; declared facts are order.amount, order.date']);
  });

  it("says in Chinese which value an operator expects", () => {
    const doc = rs({ all: [{ fact: "order.amount", op: "between", value: [9, 1] }, { fact: "order.date", op: "before", value: "soon" }, { fact: "order.amount", op: "eq" }] });
    expect(zh(doc)).toEqual([
      'rules[0].when.all[0].value: "between" 需要 [下限, 上限]，且下限 <= 上限，实际为 [9,1]',
      'rules[0].when.all[1].value: "before" 需要 ISO-8601 日期，例如 "2026-03-01" 或 "2026-03-01T00:00:00+08:00"，实际为 "soon"',
      'rules[0].when.all[2].value: "eq" 需要一个值，但未填写',
    ]);
    expect(en(doc)).toEqual([
      'rules[0].when.all[0].value: "between" expects [low, high] with low <= high, got [9,1]',
      'rules[0].when.all[1].value: "before" expects an ISO-8601 date such as "2026-03-01" or "2026-03-01T00:00:00+08:00", got "soon"',
      'rules[0].when.all[2].value: "eq" needs a value, got nothing',
    ]);
  });
});
