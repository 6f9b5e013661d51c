/** A rollout report's guardrail messages and recommendation in zh-CN, rendered from the report's fields; English unchanged. */
import { describe, expect, it } from "vitest";
import { compileRollout, type CompiledRollout } from "../src/index.js";
import { analyzeRollout, explainRolloutReport, type RolloutEventInput, type RolloutReport } from "../src/entries/rollouts.js";
import { guardrailText, recommendationText } from "../src/rollouts/report-text.js";
import { seededRandom } from "../src/testing.js";
import { twoVariantRollout } from "./rollouts-helpers.js";

const AT = "2026-03-20T00:00:00+08:00";
const METRICS = { primary: "renewed", secondary: [{ id: "revenue", type: "mean" }], guardrails: [{ metric: "refunded", maxIncrease: 0.02 }] };
type Rates = Record<string, number>;

function simulate(rollout: CompiledRollout, n: number, truth: { renewed: Rates; refunded?: Rates }, seed: number): RolloutEventInput[] {
  const rand = seededRandom(seed);
  const events: RolloutEventInput[] = [];
  for (let i = 0; i < n; i++) {
    const r = rollout.evaluate({ customer: { id: `C-${seed}-${i}` } }, { at: AT });
    if (!r.inExperiment) continue;
    const unit = r.unit!;
    events.push({ type: "exposure", rollout: rollout.id, unit, variant: r.variant, at: "2026-03-01T00:00:00Z" });
    if (rand() < truth.renewed[r.variant]!) events.push({ type: "metric", unit, metric: "renewed", at: "2026-03-10T00:00:00Z" });
    if (truth.refunded && rand() < truth.refunded[r.variant]!) events.push({ type: "metric", unit, metric: "refunded" });
  }
  return events;
}

const rollout = (extra: Record<string, unknown> = {}) => compileRollout(twoVariantRollout({ metrics: METRICS, ...extra }));

const scenarios: [string, () => RolloutReport][] = [
  ["promote", () => analyzeRollout(rollout(), simulate(rollout(), 20_000, { renewed: { control: 0.1, treatment: 0.12 }, refunded: { control: 0.05, treatment: 0.05 } }, 1))],
  ["guardrail breach", () => analyzeRollout(rollout(), simulate(rollout(), 20_000, { renewed: { control: 0.1, treatment: 0.13 }, refunded: { control: 0.05, treatment: 0.09 } }, 3))],
  ["within the limit", () => analyzeRollout(rollout(), simulate(rollout(), 20_000, { renewed: { control: 0.1, treatment: 0.13 }, refunded: { control: 0.05, treatment: 0.055 } }, 4))],
  [
    "relative maxDecrease",
    () => {
      const r = rollout({ metrics: { primary: "renewed", guardrails: [{ metric: "renewed", maxDecrease: 0.1, relative: true }] } });
      return analyzeRollout(r, simulate(r, 20_000, { renewed: { control: 0.3, treatment: 0.2 } }, 5));
    },
  ],
  ["too early", () => analyzeRollout(rollout(), simulate(rollout(), 120, { renewed: { control: 0.1, treatment: 0.5 } }, 6))],
  ["inconclusive, more needed", () => analyzeRollout(rollout(), simulate(rollout(), 2_000, { renewed: { control: 0.3, treatment: 0.3 } }, 8))],
  ["inconclusive, likely smaller", () => analyzeRollout(rollout(), simulate(rollout(), 16_000, { renewed: { control: 0.3, treatment: 0.3 } }, 9))],
  [
    "primary worse",
    () => {
      const r = rollout({ metrics: { primary: "renewed" } });
      return analyzeRollout(r, simulate(r, 20_000, { renewed: { control: 0.3, treatment: 0.25 } }, 10));
    },
  ],
  [
    "sample ratio mismatch",
    () => {
      let i = 0;
      const events = simulate(rollout(), 20_000, { renewed: { control: 0.1, treatment: 0.1 } }, 11).filter((e) => !(e.type === "exposure" && e.variant === "treatment" && i++ % 3 === 0));
      return analyzeRollout(rollout(), events);
    },
  ],
  ["no exposures", () => analyzeRollout(rollout(), [])],
];

describe("rollout report texts rendered from the report's fields", () => {
  it.each(scenarios)("%s: the English rendering is exactly what the analysis wrote", (_, make) => {
    const report = make();
    expect(recommendationText(report, "en")).toEqual({ summary: report.recommendation.summary, reasons: report.recommendation.reasons });
    for (const g of report.guardrails) expect(guardrailText(report, g, "en")).toBe(g.message);
  });

  it.each(scenarios)("%s: Chinese summary and reasons, no English sentence left", (_, make) => {
    const report = make();
    const zh = recommendationText(report, "zh-CN")!;
    expect(zh.summary).toMatch(/[\u4e00-\u9fff]/);
    for (const r of zh.reasons) expect(r).toMatch(/[\u4e00-\u9fff]/);
    const text = explainRolloutReport(report, { locale: "zh-CN" });
    expect(text).not.toMatch(/Keep running|Roll back|Promote |Inconclusive|Investigate|not significant|did not get worse|rose by|fell by|not enough data|BREACHED/);
  });

  const words: [number, string, RegExp[]][] = [
    [0, "promote", [/全量推广 treatment：它显著提升了 renewed，且没有护栏指标被突破。/, /treatment 相对 control 的 renewed 变化 \+\d\.\d\d 个百分点（相对 \+\d+\.\d%），95% 置信区间/]],
    [1, "guardrail breach", [/回滚到 control：有护栏指标被突破。/, /- \[已突破\] treatment 的 refunded 上升了 [34]\.\d\d 个百分点（上升幅度的 95% 置信区间为 .*；允许 2\.00 个百分点：已突破护栏/]],
    [4, "too early", [/继续运行：(control|treatment) 只有 \d+ 个单元；每个变体达到 100 个后再下结论。/, /\[数据不足\] treatment 的 refunded：数据尚不足（较小的一组有 \d+ 个单元，需要 100 个）/]],
    [5, "more needed", [/尚无定论：目前没有显著差异；每个变体还需约 [\d,]+ 个单元（每个变体共 [\d,]+ 个），才能检测出 10% 的提升。/, /：不显著/]],
    [6, "likely smaller", [/真实效果可能更小。可保留 control，或依据其他因素决策。/]],
    [7, "primary worse", [/回滚到 control：renewed 显著变差。/]],
    [8, "srm", [/需排查：单元的分配比例与权重不符（样本比例失衡）/, /实际分配 control [\d,]+，treatment [\d,]+；期望 .*；卡方值 [\d.]+，p = .* < 0\.001/]],
    [9, "no units", [/继续运行：尚未记录任何曝光。/, /还没有单元被曝光/]],
  ];
  it.each(words)("scenario %i (%s) reads as written in Chinese", (i, _, patterns) => {
    const text = explainRolloutReport(scenarios[i]![1](), { locale: "zh-CN" });
    for (const p of patterns) expect(text).toMatch(p);
  });

  it("English report text is unchanged and uses the report's own strings", () => {
    const report = scenarios[1]![1]();
    const en = explainRolloutReport(report);
    expect(en).toContain(`- [breached] ${report.guardrails[0]!.message}`);
    expect(en).toContain(`  ${report.recommendation.summary}`);
    expect(explainRolloutReport(report, { locale: "en" })).toBe(en);
  });

  it("a report without minUnitsPerVariant (written before it existed) falls back to the English texts", () => {
    const report = scenarios[4]![1]();
    const { minUnitsPerVariant: _, ...old } = report;
    const text = explainRolloutReport(old, { locale: "zh-CN" });
    expect(text).toContain(report.recommendation.summary);
    expect(text).toContain("建议：KEEP-RUNNING");
  });
});
