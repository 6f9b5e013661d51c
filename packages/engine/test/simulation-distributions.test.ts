/**
 * The draws of bulk simulation (counts, delays, input fields) and the
 * percentiles of its summary: bounds, determinism for a seed, the shape of
 * each distribution on many draws, and nearest-rank percentiles.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../src/testing/random.js";
import { choose, draw, drawCount, drawDelay, drawField, poisson } from "../src/simulation/distributions.js";
import { Samples } from "../src/simulation/summary.js";
import type { DistributionSpec } from "../src/schema/scenario.js";

const many = (d: DistributionSpec, n = 20000, seed = 1): number[] => {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => draw(d, r));
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)]!;

describe("distributions", () => {
  it("each has the centre and spread its parameters say (20,000 seeded draws)", () => {
    expect(mean(many({ distribution: "uniform", min: 10, max: 20 }))).toBeCloseTo(15, 0);
    expect(mean(many({ distribution: "normal", mean: 100, sd: 15 }))).toBeCloseTo(100, 0);
    expect(mean(many({ distribution: "exponential", mean: 4 }))).toBeCloseTo(4, 1);
    expect(mean(many({ distribution: "triangular", min: 0, mode: 3, max: 6 }))).toBeCloseTo(3, 1);
    expect(mean(many({ distribution: "poisson", mean: 28 }))).toBeCloseTo(28, 0);
    expect(mean(many({ distribution: "poisson", mean: 400 }))).toBeCloseTo(400, -1);
    const logn = many({ distribution: "lognormal", median: 1000, p90: 4000 });
    expect(median(logn) / 1000).toBeCloseTo(1, 1);
    expect(quantile(logn, 0.9) / 4000).toBeCloseTo(1, 1);
    const sigma = many({ distribution: "lognormal", median: 2, sigma: 0.5 });
    expect(median(sigma)).toBeCloseTo(2, 1);
  });

  it("durations as parameters draw milliseconds", () => {
    const r = seededRandom(3);
    expect(drawDelay("PT1H30M", r)).toBe(5_400_000);
    expect(drawDelay("P1D", r)).toBe(86_400_000);
    const xs = Array.from({ length: 5000 }, () => drawDelay({ distribution: "lognormal", median: "PT2H", p90: "PT8H" }, r));
    expect(median(xs) / 7_200_000).toBeCloseTo(1, 1);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });

  it("draws stay within min and max, counts are whole numbers >= 0, and a seed gives the same draws", () => {
    const dist = fc.oneof(
      fc.record({ distribution: fc.constant("normal" as const), mean: fc.integer({ min: -50, max: 50 }), sd: fc.integer({ min: 0, max: 30 }), min: fc.constant(-10), max: fc.constant(10) }),
      fc.record({ distribution: fc.constant("lognormal" as const), median: fc.integer({ min: 1, max: 100 }), sigma: fc.double({ min: 0.01, max: 3, noNaN: true }), min: fc.constant(-10), max: fc.constant(10) }),
      fc.record({ distribution: fc.constant("exponential" as const), mean: fc.integer({ min: 1, max: 100 }), min: fc.constant(-10), max: fc.constant(10) }),
    );
    fc.assert(
      fc.property(dist, fc.integer(), (d, seed) => {
        const a = many(d, 50, seed);
        expect(a.every((x) => x >= -10 && x <= 10)).toBe(true);
        expect(many(d, 50, seed)).toEqual(a);
        const r = seededRandom(seed);
        const c = drawCount(d, r);
        expect(Number.isInteger(c) && c >= 0).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("poisson of a mean of 0 is 0; Knuth's draws are whole numbers", () => {
    const r = seededRandom(5);
    expect(poisson(0, r)).toBe(0);
    for (let i = 0; i < 100; i++) expect(Number.isInteger(poisson(3.5, r))).toBe(true);
  });

  it("a choice never picks a value of weight 0, and picks in proportion", () => {
    const r = seededRandom(9);
    const picks = Array.from({ length: 10000 }, () => choose({ choice: { A: 0.5, B: 0, C: 0.5 } }, r));
    expect(picks.includes("B")).toBe(false);
    expect(picks.filter((p) => p === "A").length / picks.length).toBeCloseTo(0.5, 1);
    expect(choose({ choice: [{ value: { tier: 1 }, weight: 1 }] }, r)).toEqual({ tier: 1 });
  });

  it("fields: rounded draws, choices, constants and numbered templates", () => {
    const r = seededRandom(2);
    const amount = drawField({ distribution: "uniform", min: 0, max: 1, round: 2 }, 1, r) as number;
    expect(Math.round(amount * 100)).toBeCloseTo(amount * 100, 9);
    expect(drawField({ value: { a: [1] } }, 1, r)).toEqual({ a: [1] });
    expect(drawField({ template: "C-{n}-{n}", pad: 4 }, 17, r)).toBe("C-0017-0017");
    expect(drawField({ distribution: "constant", value: 7 }, 1, r)).toBe(7);
  });
});

describe("summary percentiles", () => {
  it("nearest rank, in hours rounded to 0.01, monotone up to the max", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 300 }), (values) => {
        const s = new Samples();
        for (const v of values) s.push(v);
        const st = s.stats(3_600_000);
        const sorted = [...values].sort((a, b) => a - b);
        const rank = (p: number) => Math.round((sorted[Math.ceil((p / 100) * sorted.length) - 1]! / 3_600_000) * 100) / 100;
        expect(st).toMatchObject({ count: values.length, p50: rank(50), p90: rank(90), p99: rank(99) });
        expect(st.p50).toBeLessThanOrEqual(st.p90);
        expect(st.p90).toBeLessThanOrEqual(st.p99);
        expect(st.p99).toBeLessThanOrEqual(st.max);
        expect(st.max).toBe(Math.round((sorted.at(-1)! / 3_600_000) * 100) / 100);
      }),
    );
    expect(new Samples().stats(1)).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, mean: 0, max: 0 });
  });
});
