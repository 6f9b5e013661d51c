/**
 * The tests behind rollout reports: two-proportion z, Welch's t, chi-square
 * goodness of fit, sample sizes; against worked examples and by simulation
 * (95% intervals cover the truth about 95% of the time).
 */
import { describe, expect, it } from "vitest";
import { sampleSizeForMean, sampleSizeForRate } from "../src/entries/rollouts.js";
import { chiSquareGoodnessOfFit, twoProportionTest, welchTest } from "../src/stats/hypothesis-tests.js";
import { seededRandom } from "../src/testing.js";

const summary = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { units: xs.length, mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) };
};

describe("two-proportion z test", () => {
  it("100/1000 vs 130/1000: z = 2.1027, p = 0.0355 (as prop.test without continuity correction)", () => {
    const r = twoProportionTest({ units: 1000, conversions: 100 }, { units: 1000, conversions: 130 });
    expect(r.test).toBe("two-proportion-z");
    expect(r.statistic).toBeCloseTo(2.102741, 5);
    expect(r.statistic ** 2).toBeCloseTo(4.4215, 3); // prop.test's X-squared
    expect(r.pValue).toBeCloseTo(0.035488, 5);
    expect(r.absolute.estimate).toBeCloseTo(0.03, 12);
    expect(r.absolute.ci[0]).toBeCloseTo(0.0020679, 6);
    expect(r.absolute.ci[1]).toBeCloseTo(0.0579321, 6);
    expect(r.relative!.estimate).toBeCloseTo(0.3, 12);
  });

  it("handles empty and degenerate samples without NaN", () => {
    expect(twoProportionTest({ units: 0, conversions: 0 }, { units: 10, conversions: 5 }).pValue).toBe(1);
    const same = twoProportionTest({ units: 50, conversions: 0 }, { units: 50, conversions: 0 });
    expect(same).toMatchObject({ pValue: 1, statistic: 0, relative: null });
  });
});

describe("Welch's t test", () => {
  // The worked example of the Wikipedia article on Welch's t-test (sample sets A1, A2).
  const a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
  const a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

  it("gives t = -2.46, df = 25.0, p = 0.021 on the worked example", () => {
    const r = welchTest(summary(a2), summary(a1));
    expect(r.test).toBe("welch-t");
    expect(r.statistic).toBeCloseTo(-2.46, 2);
    expect(r.df!).toBeCloseTo(25.0, 1);
    expect(r.pValue).toBeCloseTo(0.021, 3);
    expect(r.absolute.ci[1]).toBeLessThan(0);
  });

  it("is symmetric: swapping the samples flips the sign only", () => {
    const r = welchTest(summary(a1), summary(a2));
    const s = welchTest(summary(a2), summary(a1));
    expect(r.statistic).toBeCloseTo(-s.statistic, 12);
    expect(r.pValue).toBeCloseTo(s.pValue, 12);
  });
});

describe("confidence intervals cover the truth about 95% of the time", () => {
  it("rates: 400 simulated experiments, 2,000 units per arm, true lift +0.02", () => {
    const rand = seededRandom(99);
    let covered = 0;
    for (let run = 0; run < 400; run++) {
      let c = 0;
      let t = 0;
      for (let i = 0; i < 2000; i++) {
        if (rand() < 0.2) c++;
        if (rand() < 0.22) t++;
      }
      const r = twoProportionTest({ units: 2000, conversions: c }, { units: 2000, conversions: t });
      if (r.absolute.ci[0] <= 0.02 && 0.02 <= r.absolute.ci[1]) covered++;
    }
    expect(covered / 400).toBeGreaterThan(0.92);
    expect(covered / 400).toBeLessThan(0.98);
  });

  it("means: 300 simulated experiments with unequal variances, true difference +3", () => {
    const rand = seededRandom(100);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    let covered = 0;
    for (let run = 0; run < 300; run++) {
      const c = Array.from({ length: 40 }, () => 100 + 10 * normal());
      const t = Array.from({ length: 60 }, () => 103 + 25 * normal());
      const r = welchTest(summary(c), summary(t));
      if (r.absolute.ci[0] <= 3 && 3 <= r.absolute.ci[1]) covered++;
    }
    expect(covered / 300).toBeGreaterThan(0.91);
    expect(covered / 300).toBeLessThan(0.99);
  });
});

describe("chi-square goodness of fit (sample ratio mismatch)", () => {
  it("flags a 52/48 split of 100,000 units expected 50/50", () => {
    const r = chiSquareGoodnessOfFit([52_000, 48_000], [50, 50]);
    expect(r.chiSquare).toBe(160);
    expect(r.df).toBe(1);
    expect(r.pValue).toBeLessThan(1e-30);
  });

  it("does not flag a fair split, and handles unequal shares", () => {
    expect(chiSquareGoodnessOfFit([50_100, 49_900], [1, 1]).pValue).toBeGreaterThan(0.5);
    const r = chiSquareGoodnessOfFit([900, 2050, 7050], [10, 20, 70]);
    expect(r.expected).toEqual([1000, 2000, 7000]);
    expect(r.chiSquare).toBeCloseTo(10 + 1.25 + 2500 / 7000, 10);
  });
});

describe("sample size", () => {
  it("30% -> 33% needs 3,760 units per variant at alpha 0.05, power 0.8", () => {
    expect(sampleSizeForRate(0.3, 0.1)).toBe(3760);
    expect(sampleSizeForRate(0.3, 0.1, { power: 0.9 })).toBeGreaterThan(3760);
    expect(sampleSizeForRate(0, 0.1)).toBe(Infinity);
  });

  it("a 5% change of a mean of 100 with sd 20 needs 252 per variant", () => {
    expect(sampleSizeForMean(100, 400, 0.05)).toBe(252);
  });
});
