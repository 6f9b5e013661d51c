/**
 * Reports on synthetic data with a known truth: they find real lifts, flag
 * sample ratio mismatches, roll back on guardrail breaches, and ask for more
 * data when there is too little.
 */
import { describe, expect, it } from "vitest";
import { compileRollout, formatIssue, type CompiledRollout } from "../src/index.js";
import { analyzeRollout, explainRolloutReport, parseRolloutEventLines, type RolloutEventInput } from "../src/entries/rollouts.js";
import { seededRandom } from "../src/testing.js";
import { twoVariantRollout } from "./rollouts-helpers.js";

const AT = "2026-03-20T00:00:00+08:00";
const METRICS = {
  primary: "renewed",
  secondary: [{ id: "revenue", type: "mean" }],
  guardrails: [{ metric: "refunded", maxIncrease: 0.02 }],
};

interface Truth {
  renewed: Record<string, number>;
  refunded?: Record<string, number> | undefined;
  revenue?: Record<string, number> | undefined;
}

/** Assign `n` units with the engine and draw their outcomes from `truth`. */
function simulate(rollout: CompiledRollout, n: number, truth: Truth, seed: number): RolloutEventInput[] {
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const events: RolloutEventInput[] = [];
  for (let i = 0; i < n; i++) {
    const r = rollout.evaluate({ customer: { id: `C-${seed}-${i}` } }, { at: AT });
    if (!r.inExperiment) continue;
    const unit = r.unit!;
    events.push({ type: "exposure", rollout: rollout.id, unit, variant: r.variant, at: "2026-03-01T00:00:00Z" });
    if (rand() < truth.renewed[r.variant]!) events.push({ type: "metric", unit, metric: "renewed", at: "2026-03-10T00:00:00Z" });
    if (truth.refunded && rand() < truth.refunded[r.variant]!) events.push({ type: "metric", unit, metric: "refunded" });
    if (truth.revenue) events.push({ type: "metric", unit, metric: "revenue", value: truth.revenue[r.variant]! + 20 * normal() });
  }
  return events;
}

const rollout = (extra: Record<string, unknown> = {}) => compileRollout(twoVariantRollout({ metrics: METRICS, ...extra }));

describe("finding a known lift", () => {
  const r = rollout();
  const events = simulate(r, 20_000, { renewed: { control: 0.1, treatment: 0.12 }, refunded: { control: 0.05, treatment: 0.05 }, revenue: { control: 100, treatment: 105 } }, 1);
  const report = analyzeRollout(r, events);

  it("estimates a +2 point rate lift with a CI that contains it and recommends promoting", () => {
    const renewed = report.metrics.find((m) => m.metric === "renewed")!;
    const c = renewed.comparisons[0]!;
    expect(c).toMatchObject({ variant: "treatment", control: "control", test: "two-proportion-z", significant: true, better: true });
    expect(c.absolute.ci[0]).toBeLessThan(0.02);
    expect(c.absolute.ci[1]).toBeGreaterThan(0.02);
    expect(c.relative!.ci[0]).toBeLessThan(0.2);
    expect(c.relative!.ci[1]).toBeGreaterThan(0.2);
    expect(c.pValue).toBeLessThan(0.001);
    expect(report.recommendation).toMatchObject({ action: "promote", variant: "treatment" });
    expect(report.srm).toMatchObject({ flagged: false, df: 1 });
  });

  it("estimates a +5 mean lift with Welch's test", () => {
    const revenue = report.metrics.find((m) => m.metric === "revenue")!;
    const c = revenue.comparisons[0]!;
    expect(c.test).toBe("welch-t");
    expect(c.absolute.ci[0]).toBeLessThan(5);
    expect(c.absolute.ci[1]).toBeGreaterThan(5);
    expect(c.df!).toBeGreaterThan(15_000);
    expect(revenue.variants[0]!.sd!).toBeCloseTo(20, 0);
  });

  it("finds it on every one of 20 independent data sets", () => {
    for (let seed = 100; seed < 120; seed++) {
      const rep = analyzeRollout(r, simulate(r, 20_000, { renewed: { control: 0.1, treatment: 0.12 } }, seed));
      const c = rep.metrics[0]!.comparisons[0]!;
      expect(rep.recommendation.action).toBe("promote");
      expect(c.absolute.estimate).toBeGreaterThan(0.005);
    }
  });
});

describe("sample ratio mismatch", () => {
  it("is flagged for a 52/48 split of 100,000 units, and the report says investigate", () => {
    const events: RolloutEventInput[] = [];
    for (let i = 0; i < 100_000; i++) events.push({ type: "exposure", unit: `U-${i}`, variant: i < 52_000 ? "control" : "treatment" });
    const report = analyzeRollout(rollout(), events);
    expect(report.srm).toMatchObject({ chiSquare: 160, flagged: true, threshold: 0.001, observed: { control: 52_000, treatment: 48_000 }, expected: { control: 50_000, treatment: 50_000 } });
    expect(report.srm!.pValue).toBeLessThan(1e-30);
    expect(report.recommendation.action).toBe("investigate");
  });

  it("is not flagged for a split that fits the weights (90/10)", () => {
    const r = rollout({ variants: [{ id: "control", weight: 90, value: 1 }, { id: "treatment", weight: 10, value: 2 }] });
    const report = analyzeRollout(r, simulate(r, 20_000, { renewed: { control: 0.3, treatment: 0.3 } }, 7));
    expect(report.srm!.flagged).toBe(false);
    expect(report.srm!.expected.treatment).toBeCloseTo(report.data.units * 0.1, 0);
  });
});

describe("guardrails", () => {
  it("a significant rise above the allowed maximum is a breach and the verdict is roll back", () => {
    const r = rollout();
    const events = simulate(r, 20_000, { renewed: { control: 0.1, treatment: 0.13 }, refunded: { control: 0.05, treatment: 0.09 } }, 3);
    const report = analyzeRollout(r, events);
    expect(report.guardrails).toHaveLength(1);
    expect(report.guardrails[0]).toMatchObject({ metric: "refunded", variant: "treatment", status: "breached", limit: { maxIncrease: 0.02 } });
    expect(report.guardrails[0]!.message).toMatch(/^refunded rose by [34]\.\d\d pts in treatment \(95% CI of the rise .* allowed 2\.00 pts: BREACHED$/);
    expect(report.recommendation).toMatchObject({ action: "roll-back", variant: "control" });
  });

  it("a rise within the limit is ok or watched, never a breach", () => {
    const r = rollout();
    const report = analyzeRollout(r, simulate(r, 20_000, { renewed: { control: 0.1, treatment: 0.13 }, refunded: { control: 0.05, treatment: 0.055 } }, 4));
    expect(["ok", "watch"]).toContain(report.guardrails[0]!.status);
    expect(report.recommendation.action).toBe("promote");
  });

  it("maxDecrease guards metrics where down is bad, relative limits compare to control", () => {
    const r = rollout({ metrics: { primary: "renewed", guardrails: [{ metric: "renewed", maxDecrease: 0.1, relative: true }] } });
    const report = analyzeRollout(r, simulate(r, 20_000, { renewed: { control: 0.3, treatment: 0.2 } }, 5));
    expect(report.guardrails[0]).toMatchObject({ status: "breached", relative: true, limit: { maxDecrease: 0.1 } });
    expect(report.guardrails[0]!.degradation!).toBeCloseTo(1 / 3, 1);
  });
});

describe("not enough data, or no effect", () => {
  it("keeps running below the minimum units per variant", () => {
    const r = rollout();
    const report = analyzeRollout(r, simulate(r, 120, { renewed: { control: 0.1, treatment: 0.5 } }, 6));
    expect(report.recommendation.action).toBe("keep-running");
    expect(report.recommendation.summary).toMatch(/judge after 100 per variant/);
    expect(report.guardrails[0]!.status).toBe("insufficient-data");
  });

  it("says inconclusive with the sample still needed when there is no real difference", () => {
    const r = rollout();
    const report = analyzeRollout(r, simulate(r, 2_000, { renewed: { control: 0.3, treatment: 0.3 } }, 8));
    expect(report.recommendation.action).toBe("inconclusive");
    const needed = report.recommendation.sampleNeeded!;
    expect(needed.relativeEffect).toBe(0.1);
    expect(needed.perVariant).toBeGreaterThan(3000);
    expect(needed.additionalPerVariant).toBeGreaterThan(2000);
    expect(report.recommendation.summary).toMatch(/more units per variant .* are needed to detect a 10% lift/);
  });

  it("says the effect is likely small once the sample is large enough", () => {
    const r = rollout();
    const report = analyzeRollout(r, simulate(r, 16_000, { renewed: { control: 0.3, treatment: 0.3 } }, 9));
    expect(report.recommendation.action).toBe("inconclusive");
    expect(report.recommendation.sampleNeeded!.additionalPerVariant).toBe(0);
    expect(report.recommendation.summary).toMatch(/true effect is likely smaller/);
  });

  it("rolls back when the primary metric is significantly worse", () => {
    const r = rollout({ metrics: { primary: "renewed" } });
    const report = analyzeRollout(r, simulate(r, 20_000, { renewed: { control: 0.3, treatment: 0.25 } }, 10));
    expect(report.recommendation).toMatchObject({ action: "roll-back", variant: "control" });
  });
});

describe("data handling", () => {
  it("excludes crossover units, pre-exposure metric events and other rollouts' events", () => {
    const events: RolloutEventInput[] = [
      { type: "exposure", unit: "A", variant: "control", at: "2026-03-01T00:00:00Z" },
      { type: "exposure", unit: "A", variant: "control", at: "2026-03-02T00:00:00Z" },
      { type: "exposure", unit: "B", variant: "control" },
      { type: "exposure", unit: "B", variant: "treatment" },
      { type: "exposure", unit: "C", variant: "treatment", at: "2026-03-05T00:00:00Z" },
      { type: "exposure", unit: "D", variant: "ghost" },
      { type: "exposure", rollout: "other", unit: "E", variant: "control" },
      { type: "metric", unit: "A", metric: "renewed" },
      { type: "metric", unit: "B", metric: "renewed" },
      { type: "metric", unit: "C", metric: "renewed", at: "2026-03-01T00:00:00Z" },
      { type: "metric", unit: "Z", metric: "renewed" },
    ];
    const report = analyzeRollout(rollout(), events);
    expect(report.data).toEqual({ exposures: 6, units: 2, metricEvents: 1, crossoverUnits: 1, unknownVariantExposures: 1, unmatchedMetricEvents: 1, preExposureMetricEvents: 1 });
    expect(report.metrics[0]!.variants.map((v) => [v.variant, v.units, v.conversions])).toEqual([
      ["control", 1, 1],
      ["treatment", 1, 0],
    ]);
  });

  it("adjusts significance for several treatments (Bonferroni)", () => {
    const r = rollout({
      variants: [
        { id: "control", weight: 1, value: 0 },
        { id: "a", weight: 1, value: 1 },
        { id: "b", weight: 1, value: 2 },
      ],
      metrics: { primary: "renewed" },
    });
    const report = analyzeRollout(r, simulate(r, 30_000, { renewed: { control: 0.1, a: 0.1, b: 0.13 } }, 11));
    expect(report.alpha).toBe(0.025);
    expect(report.recommendation).toMatchObject({ action: "promote", variant: "b" });
  });

  it("reads JSON Lines and reports bad lines by number", () => {
    const text = [
      '{"type":"exposure","rollout":"renewal-incentive-v2","unit":"C-1","variant":"control","at":"2026-03-01T00:00:00+08:00"}',
      "",
      '{"type":"metric","unit":"C-1","metric":"renewed"}',
      '{"type":"click","unit":"C-1"}',
      "{nope",
      '{"type":"exposure","unit":"C-2"}',
    ].join("\n");
    const { events, issues } = parseRolloutEventLines(text);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ value: 1 });
    expect(issues.map(formatIssue)).toEqual([
      '["line 4"].type: expected an event with "type": "exposure" or "metric", got an object',
      expect.stringMatching(/^\["line 5"\]: not valid JSON/),
      '["line 6"].variant: is required (expected a string)',
    ]);
  });
});

describe("the text report", () => {
  it("shows variants, the SRM check, each metric with lifts and CIs, guardrails and the verdict", () => {
    const r = rollout();
    const report = analyzeRollout(r, simulate(r, 20_000, { renewed: { control: 0.1, treatment: 0.12 }, refunded: { control: 0.05, treatment: 0.05 }, revenue: { control: 100, treatment: 105 } }, 1));
    const text = explainRolloutReport(report);
    expect(text).toMatch(/^Rollout renewal-incentive-v2 v1 \(running\), control control\n/);
    expect(text).toMatch(/Sample ratio: chi-square \d+\.\d\d, df 1, p = [\d.]+ \(ok\)/);
    expect(text).toMatch(/renewed \(rate, primary\)\n\| variant +\| +units \| conversions \| +rate \| +abs\. lift \[95% CI\] \|/);
    expect(text).toMatch(/\| treatment \| +[\d,]+ \| +[\d,]+ \| +1\d\.\d\d% \| +\+[\d.]+ pts \[[\d.]+, [\d.]+\] \| \+[\d.]+% \[[\d.]+%, [\d.]+%\] \| <0\.0001 \* \|/);
    expect(text).toMatch(/refunded \(rate, guardrail, lower is better\)/);
    expect(text).toMatch(/Recommendation: PROMOTE treatment\n {2}Promote treatment: it improves renewed significantly and no guardrail is breached\./);
  });
});
