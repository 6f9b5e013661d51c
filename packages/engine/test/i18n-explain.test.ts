import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  compileDecisionTable,
  compileRollout,
  compileRuleSet,
  explainDecision,
  type RolloutDefinition,
} from "../src/index.js";
import { analyzeRollout, explainAssignment, explainRolloutReport, parseRolloutEventLines, type RolloutResult } from "../src/entries/rollouts.js";

const at = "2026-02-10T10:00:00+08:00";

const ruleSet = compileRuleSet({
  kind: "ruleset",
  id: "credit",
  version: 1,
  hitPolicy: "first",
  rules: [
    {
      id: "auto",
      when: { all: [{ fact: "customer.creditRating", op: "eq", value: "A", label: "credit rating A" }, { fact: "order.amount", op: "lte", value: 50000 }] },
      then: { approve: true },
    },
    { id: "manual", then: { approve: false } },
  ],
});

describe("explainDecision in Chinese", () => {
  const result = ruleSet.evaluate({ customer: { creditRating: "B" }, order: {} }, { at, trace: true });

  it("writes each rule, condition, actual and expected value and operator in Chinese", () => {
    const text = explainDecision(result, { locale: "zh-CN" });
    const lines = text.split("\n");
    expect(lines[0]).toBe('规则集 credit v1（命中策略 first，时间 2026-02-10T02:00:00.000Z）：manual → {"approve":false}');
    expect(lines).toContain("  ✗ 规则 auto");
    expect(lines).toContain("    ✗ 全部满足");
    expect(lines).toContain('      ✗ credit rating A: customer.creditRating 为 "B"，期望等于 "A"');
    expect(lines).toContain("      ✗ order.amount 缺失，期望小于等于 50000");
    expect(lines).toContain("  ✓ 规则 manual（无条件）  ← 决定结果");
    // The warning about the missing amount is shown under its condition, in Chinese.
    expect(lines).toContain('        ⚠ order.amount 缺失，因此 "order.amount lte 50000" 按不成立处理');
  });

  it("keeps English unchanged", () => {
    const text = explainDecision(result);
    expect(text.split("\n")[0]).toBe('ruleset credit v1 (first) at 2026-02-10T02:00:00.000Z: manual → {"approve":false}');
    expect(text).toContain('      ✗ credit rating A: customer.creditRating is "B", expected = "A"');
    expect(explainDecision(result, { locale: "en" })).toBe(text);
  });

  it("explains decision table rows in Chinese", () => {
    const table = compileDecisionTable({
      kind: "decision-table",
      id: "discount",
      version: 1,
      hitPolicy: "first",
      inputs: [{ id: "tier", expr: "customer.tier" }],
      outputs: [{ id: "rate" }],
      rules: [
        { id: "gold", tier: '"gold"', rate: "0.1" },
        { id: "any", tier: "-", rate: "0" },
      ],
    });
    const text = explainDecision(table.evaluate({ customer: { tier: "silver" } }, { at, trace: true }), { locale: "zh-CN" });
    expect(text.split("\n")[0]).toMatch(/^决策表 discount v1（命中策略 first，时间 2026-02-10T02:00:00.000Z）：any → /);
    expect(text).toContain("← 决定结果");
  });

  it("refuses an unknown locale", () => {
    expect(() => explainDecision(result, { locale: "fr" })).toThrow(/locale: expected one of en, zh-CN/);
  });
});

describe("rollout explanations and reports in Chinese", () => {
  const doc = JSON.parse(readFileSync(new URL("../../examples/definitions/renewal-incentive-pilot.rollout.json", import.meta.url), "utf8")) as RolloutDefinition;
  const rollout = compileRollout(doc);
  const outside = rollout.evaluate({ customer: { id: "C-BJ01-0001" }, campus: { id: "BJ-01", region: "beijing" } }, { at: "2026-03-20T10:00:00+08:00" });

  it("explainAssignment writes the reason and the targeting check in Chinese", () => {
    const lines = explainAssignment(outside, { locale: "zh-CN" }).split("\n");
    expect(lines[0]).toBe('灰度发布 renewal-incentive-v2 v1（running，时间 2026-03-20T02:00:00.000Z）：control → {"ruleset":"renewal-incentive","version":1}（不在实验中）');
    expect(lines[1]).toMatch(/^ {2}判定（未命中定向）：未命中定向条件（pilot campuses: campus\.id 为 "BJ-01"，期望属于 \[.*\]）；适用 control$/);
    expect(lines[2]).toBe("  定向条件不成立：");
  });

  it("an assigned unit reads its bucket, range and ramp in Chinese; English unchanged", () => {
    const pilotCampus = (doc as { targeting?: { value?: string[] } }).targeting;
    const campus = JSON.stringify(pilotCampus).match(/"([A-Z]{2}-\d{2})"/)![1]!;
    let assigned: RolloutResult | undefined;
    for (let i = 0; i < 50 && !assigned; i++) {
      const r = rollout.evaluate({ customer: { id: `C-${i}` }, campus: { id: campus, region: "x" } }, { at: "2026-03-20T10:00:00+08:00" });
      if (r.explanation.reason === "assigned") assigned = r;
    }
    expect(assigned).toBeDefined();
    const zh = explainAssignment(assigned!, { locale: "zh-CN" }).split("\n")[1]!;
    expect(zh).toMatch(/^ {2}判定（已分配）：单元 "C-\d+" 的分桶为 [\d.]+，落在 \w+ 的生效区间 \[[\d.]+, [\d.]+\) 内，当前放量 \d+%（v1）$/);
    expect(explainAssignment(assigned!).split("\n")[1]).toBe(`  assigned: ${assigned!.explanation.message}`);
  });

  it("explainRolloutReport writes headings and columns in Chinese; English unchanged", () => {
    const { events } = parseRolloutEventLines(readFileSync(new URL("../../examples/data/renewal-pilot.events.jsonl", import.meta.url), "utf8"));
    const report = analyzeRollout(rollout, events);
    const zh = explainRolloutReport(report, { locale: "zh-CN" });
    expect(zh).toContain("灰度发布 renewal-incentive-v2 v1（running），对照组 control");
    expect(zh).toContain("数据：2,006 个单元，来自 2,006 次曝光，1,393 条指标事件；排除交叉单元 0 个，跳过事件 0 条");
    expect(zh).toContain("| 变体      |  权重 | 单元数 |  期望 |");
    expect(zh).toContain("建议：PROMOTE treatment");
    const en = explainRolloutReport(report);
    expect(en).toContain("Data: 2,006 units from 2,006 exposures, 1,393 metric events; 0 crossover units excluded, 0 events skipped");
    expect(explainRolloutReport(report, { locale: "en" })).toBe(en);
  });
});
