import { describe, expect, it } from "vitest";
import {
  compileDecisionTable,
  compileRuleSet,
  explainDecision,
  formatIssue,
  localizeIssues,
  validateDefinition,
  ValidationError,
  type RowTrace,
} from "../src/index.js";
import { createPromotionSet } from "../src/entries/promotions.js";
import { invalidIssueLines, thrown } from "./helpers.js";

const zh = (doc: unknown): string[] => invalidIssueLines(doc, "zh-CN");
const en = (doc: unknown): string[] => invalidIssueLines(doc, "en");

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

describe("promotion checks in zh-CN", () => {
  const bad = {
    kind: "promotion",
    id: "bad",
    version: 1,
    currency: "CNY",
    benefit: [{ type: "gift", sku: "G", quantity: 1 }, { type: "subsidy", amount: "1.234" }],
    limits: { budget: "100.00", per: [{ key: "store.region", budget: "10.001", period: "month" }] },
    stacking: { mode: "best-of", exclusive: true },
    rounding: { scale: 3 },
  };

  it("writes a bad promotion limit, rounding, budget and stacking problem in Chinese at the same paths", () => {
    expect(zh(bad)).toEqual([
      "rounding.scale: CNY 的金额有 2 位小数；rounding.scale 最多为 2",
      "benefit[1].amount: 1.234 有 3 位小数；最多允许 2 位",
      "limits.per[0].budget: 10.001 的小数位数超过了 CNY 允许的位数（2 位）",
      'benefit[0].unitCost: 此促销设置了预算，因此每项优惠都必须有金额价值：请添加 "unitCost"',
      'stacking.exclusive: "exclusive": true 与 "mode": "best-of" 相互矛盾；请只保留其一',
    ]);
    const { currency: _c, ...noCurrency } = bad;
    expect(zh({ ...noCurrency, benefit: { type: "subsidy", amount: "1.00" }, limits: { budget: "1.001" } })).toEqual([
      "rounding.scale: 未指定币种的金额有 2 位小数；rounding.scale 最多为 2",
      "limits.budget: 1.001 的小数位数超过了未指定币种的金额允许的位数（2 位）",
      'stacking.exclusive: "exclusive": true 与 "mode": "best-of" 相互矛盾；请只保留其一',
    ]);
  });

  it("re-renders promotion set problems in Chinese, a missing currency included", () => {
    const promo = (id: string, extra: Record<string, unknown> = {}) => ({ kind: "promotion", id, version: 1, benefit: { type: "points", multiplier: "2" }, ...extra });
    const e = thrown(() =>
      createPromotionSet([
        promo("a", { currency: "CNY", stacking: { group: "g", mode: "exclusive" } }),
        promo("b", { currency: "CNY", stacking: { group: "g", mode: "best-of" } }),
        promo("c"),
        { kind: "ruleset", id: "r", version: 1, rules: [{ id: "x", then: {} }] },
      ]),
    ) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.issues.map(formatIssue)).toEqual([
      "[3].kind: expected a promotion, got a ruleset",
      '[1].stacking.mode: group "g" is exclusive in a but best-of in b; every member of a group must use the same mode',
      "[2].currency: c is in no currency but a is in CNY; a set uses one currency",
    ]);
    expect(localizeIssues(e.issues, "zh-CN").map(formatIssue)).toEqual([
      "[3].kind: 应为促销，实际为 ruleset",
      '[1].stacking.mode: 叠加组 "g" 在 a 中为 exclusive，在 b 中却为 best-of；同一组的所有成员必须使用相同的叠加方式',
      "[2].currency: c 的币种是 未指定，而 a 的币种是 CNY；一个促销集合只能使用一种币种",
    ]);
  });
});

describe("working-day functions without a calendar in zh-CN", () => {
  it("says the rule set must name a calendar, at the expression's path", () => {
    const doc = { kind: "ruleset", id: "stale", version: 1, rules: [{ id: "r", when: { all: [{ expr: "workdaysBetween(o.updatedAt, now) >= 3" }] }, then: { stale: true } }] };
    expect(zh(doc)).toEqual([
      'rules[0].when.all[0].expr: workdaysBetween() 按工作日计算，因此该 ruleset 必须指定日历：请在顶层添加 "calendar": "cn-mainland" 或某个日历定义的 id（位于 "workdaysBetween(o.updatedAt, now) >= 3" 的位置 0）',
    ]);
    expect(en(doc)).toEqual([
      'rules[0].when.all[0].expr: workdaysBetween() counts working days, so the ruleset must name a calendar: add "calendar": "cn-mainland" (or the id of a calendar definition) at its top level (at position 0 in "workdaysBetween(o.updatedAt, now) >= 3")',
    ]);
  });
});

describe("evaluation warnings in zh-CN", () => {
  const at = "2026-02-10T10:00:00+08:00";

  it("keeps the English message and adds its key, and explainDecision writes it in Chinese", () => {
    const rs = compileRuleSet({
      kind: "ruleset",
      id: "credit",
      version: 1,
      rules: [{ id: "big", when: { all: [{ fact: "order.amount", op: "gt", value: { fact: "limits.max" } }] }, then: { review: true } }],
    });
    const missing = rs.evaluate({ order: { amount: 5 }, limits: {} }, { at, trace: true });
    expect(missing.warnings).toEqual([
      {
        code: "missing_value",
        path: "rules[0].when.all[0]",
        message: 'limits.max is missing, so "order.amount gt limits.max" is false',
        messageKey: "warnings.conditionFalse",
        params: { subject: "limits.max", "is@": "isMissing", condition: "order.amount gt limits.max" },
      },
    ]);
    const zh = explainDecision(missing, { locale: "zh-CN" });
    expect(zh).toContain('⚠ limits.max 缺失，因此 "order.amount gt limits.max" 按不成立处理');
    expect(zh).toContain('⚠ rules[0].when.all[0] 处：limits.max 缺失，因此 "order.amount gt limits.max" 按不成立处理');
    expect(explainDecision(missing)).toContain('⚠ rules[0].when.all[0]: limits.max is missing, so "order.amount gt limits.max" is false');
  });

  it("writes a decision table's missing input and its cells in Chinese, with the count of cells left out", () => {
    const table = compileDecisionTable({
      kind: "decision-table",
      id: "discount",
      version: 1,
      hitPolicy: "first",
      inputs: [{ id: "amount", expr: "order.amount" }],
      outputs: [{ id: "rate", type: "number" }],
      rules: [1, 2, 3, 4, 5].map((n) => ({ amount: `>= ${n * 100}`, rate: n })),
    });
    const result = table.evaluate({ order: {} }, { at, trace: true });
    expect(result.warnings.map((w) => w.message)).toEqual([
      "input amount is missing, so the comparisons in rules[0].amount, rules[1].amount, rules[2].amount and 2 more do not hold",
    ]);
    const zh = explainDecision(result, { locale: "zh-CN" });
    expect(zh).toContain("输入 amount 缺失，因此 rules[0].amount、rules[1].amount、rules[2].amount 及另外 2 处 中的比较均不成立");
    const cell = (result.trace!.rules[0] as RowTrace).cells[0]!.warnings![0]!;
    expect(cell).toEqual({
      code: "missing_value",
      path: "rules[0].amount",
      message: "input amount is missing, so >= 100 does not hold",
      messageKey: "warnings.tableCell",
      params: { input: "amount", "is@": "isMissing", test: ">= 100" },
    });
    expect(zh).not.toMatch(/is missing|do not hold/);
  });

  it("writes an expression comparison with a null side in Chinese", () => {
    const rs = compileRuleSet({ kind: "ruleset", id: "e", version: 1, rules: [{ id: "r", when: { expr: "order.amount > limit" }, then: { ok: true } }] });
    const result = rs.evaluate({ order: { amount: null }, limit: [1, 2] }, { at, trace: true });
    expect(result.warnings.map((w) => w.message)).toEqual(['expression "order.amount > limit" compared null with an array using ">", so it is false']);
    expect(explainDecision(result, { locale: "zh-CN" })).toContain('表达式 "order.amount > limit" 用 ">" 比较 null 与 数组，结果按不成立处理');
  });

  it("gives the warning fields docs/rulesets.md shows", () => {
    const rs = compileRuleSet({ kind: "ruleset", id: "health-alerts", version: 1, rules: [{ id: "low", when: { expr: "account.score < 60" }, then: { alert: true } }] });
    expect(rs.evaluate({ account: { name: "Acme" } }, { at }).warnings).toEqual([
      {
        code: "missing_value",
        path: "rules[0].when",
        message: 'expression "account.score < 60" compared missing with number 60 using "<", so it is false',
        messageKey: "warnings.expressionCompare",
        params: { source: "account.score < 60", "left@": "operandMissing", right: "number 60", op: "<" },
      },
    ]);
  });
});
